-- Outlet schema v2: the staff console. Accounts, sessions, login failures and
-- API tokens follow the layout app/auth expects (see its package doc);
-- feedback and education activities feed the daily report.
CREATE TABLE staff_users (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  role          TEXT    NOT NULL,
  password_hash TEXT    NOT NULL,            -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,            -- unix milliseconds UTC
  last_login_at INTEGER
);

-- Server-side sessions. id_hash is SHA-256 of the cookie value, so a copy of
-- the database lets no one take over a session. user_id is NULL while the
-- browser is only on the login form (that session carries its CSRF token).
CREATE TABLE staff_sessions (
  id_hash    TEXT    PRIMARY KEY,
  user_id    INTEGER REFERENCES staff_users(id) ON DELETE CASCADE,
  csrf       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions(user_id);
CREATE INDEX staff_sessions_seen ON staff_sessions(last_seen);

-- Failed logins, one row per key (ip:..., user:...) and attempt, kept a day.
CREATE TABLE staff_login_failures (
  key TEXT    NOT NULL,
  at  INTEGER NOT NULL
);
CREATE INDEX staff_login_failures_key ON staff_login_failures(key, at);

-- Read-only API tokens created by managers; only their SHA-256 is stored.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT    NOT NULL,
  hash         TEXT    NOT NULL UNIQUE,
  created_by   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);

-- Workers' feedback. day and resolved_day are local days, for daily counts.
CREATE TABLE feedback (
  id           INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  day          TEXT    NOT NULL,
  rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  amenity      TEXT    NOT NULL DEFAULT '',
  text         TEXT    NOT NULL DEFAULT '',
  resolved_at  INTEGER,
  resolved_day TEXT,
  resolved_by  TEXT,
  note         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX feedback_day ON feedback(day);
CREATE INDEX feedback_open ON feedback(resolved_day, day);

-- Education activities (金融知识宣教) staff held, by local day.
CREATE TABLE activities (
  id           INTEGER PRIMARY KEY,
  day          TEXT    NOT NULL,
  theme        TEXT    NOT NULL,
  venue        TEXT    NOT NULL CHECK (venue IN ('community', 'factory', 'school', 'rural', 'outlet')),
  participants INTEGER NOT NULL CHECK (participants BETWEEN 0 AND 100000),
  staff        TEXT    NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX activities_day ON activities(day);
