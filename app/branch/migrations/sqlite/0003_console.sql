-- Branch schema v3: the branch console, month rollups, activities and the
-- outlet directory. migrations/postgres/0003_console.sql is its twin.

-- Console accounts, sessions, login failures and API tokens, in the layout
-- app/auth expects (see its package doc). Roles: viewer, admin.
CREATE TABLE branch_users (
  id            INTEGER PRIMARY KEY,
  name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
  role          TEXT    NOT NULL CHECK (role IN ('viewer', 'admin')),
  password_hash TEXT    NOT NULL,            -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$hash
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    BIGINT  NOT NULL,            -- unix milliseconds UTC
  last_login_at BIGINT
);

-- id_hash is SHA-256 of the cookie value; user_id is NULL on the login form.
CREATE TABLE branch_sessions (
  id_hash    TEXT    PRIMARY KEY,
  user_id    INTEGER REFERENCES branch_users(id) ON DELETE CASCADE,
  csrf       TEXT    NOT NULL,
  created_at BIGINT  NOT NULL,
  last_seen  BIGINT  NOT NULL
);
CREATE INDEX branch_sessions_user ON branch_sessions(user_id);
CREATE INDEX branch_sessions_seen ON branch_sessions(last_seen);

CREATE TABLE branch_login_failures (
  key TEXT   NOT NULL,
  at  BIGINT NOT NULL
);
CREATE INDEX branch_login_failures_key ON branch_login_failures(key, at);

-- Read-only API tokens created by admins; only their SHA-256 is stored.
CREATE TABLE branch_api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT   NOT NULL,
  hash         TEXT   NOT NULL UNIQUE,
  created_by   TEXT   NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);

-- The current report's education activities, replaced together with it.
CREATE TABLE report_activities (
  outlet       TEXT    NOT NULL,
  day          TEXT    NOT NULL,
  seq          INTEGER NOT NULL,            -- position in the report, from 0
  theme        TEXT    NOT NULL,
  venue        TEXT    NOT NULL,
  participants INTEGER NOT NULL,
  PRIMARY KEY (outlet, day, seq),
  FOREIGN KEY (outlet, day) REFERENCES reports(outlet, day) ON DELETE CASCADE
);
CREATE INDEX report_activities_day ON report_activities(day);

-- Month rollups: each outlet's current reports of one month (YYYY-MM)
-- summed, recomputed from those reports whenever one of them is stored, so
-- every figure stays exactly what the reports add up to. Months and
-- quarters across all outlets read these instead of every day's rows.
CREATE TABLE month_outlets (
  month                 TEXT   NOT NULL,
  outlet                TEXT   NOT NULL REFERENCES outlets(code),
  days                  BIGINT NOT NULL,  -- days with a report
  checkins              BIGINT NOT NULL,
  visitors              BIGINT NOT NULL,  -- visitor-days: daily uniques added up
  live                  BIGINT NOT NULL,
  poster                BIGINT NOT NULL,
  assisted              BIGINT NOT NULL,
  feedback_received     BIGINT NOT NULL,
  feedback_resolved     BIGINT NOT NULL,
  activities            BIGINT NOT NULL,
  activity_participants BIGINT NOT NULL,
  last_day              TEXT   NOT NULL,  -- the month's latest reported day
  last_feedback_open    BIGINT NOT NULL,  -- feedback open at the end of last_day
  last_received_at      BIGINT NOT NULL,  -- newest received_at of the month's reports
  PRIMARY KEY (month, outlet)
);

CREATE TABLE month_amenities (
  month    TEXT   NOT NULL,
  outlet   TEXT   NOT NULL,
  amenity  TEXT   NOT NULL,
  checkins BIGINT NOT NULL,
  visitors BIGINT NOT NULL,               -- visitor-days
  PRIMARY KEY (month, outlet, amenity)
);
CREATE INDEX month_amenities_month ON month_amenities(month, amenity, checkins, visitors);

CREATE TABLE month_categories (
  month    TEXT   NOT NULL,
  outlet   TEXT   NOT NULL,
  category TEXT   NOT NULL,
  checkins BIGINT NOT NULL,
  PRIMARY KEY (month, outlet, category)
);
CREATE INDEX month_categories_month ON month_categories(month, category, checkins);

-- The newest public profile each outlet sent with a report, for the outlet
-- directory. amenities is a JSON array of {code, zh, en}.
CREATE TABLE outlet_profiles (
  outlet        TEXT   PRIMARY KEY REFERENCES outlets(code),
  name          TEXT   NOT NULL,
  address       TEXT   NOT NULL DEFAULT '',
  opening_hours TEXT   NOT NULL DEFAULT '',
  timezone      TEXT   NOT NULL,
  lat           REAL,
  lng           REAL,
  amenities     TEXT   NOT NULL,
  generated_at  BIGINT NOT NULL,          -- when the outlet made the report that carried it
  updated_at    BIGINT NOT NULL           -- when the branch stored it
);

-- Fill the new tables from the reports already held.
INSERT INTO report_activities(outlet, day, seq, theme, venue, participants)
  SELECT r.outlet, r.day, CAST(a.key AS INTEGER), COALESCE(json_extract(a.value, '$.theme'), ''),
    COALESCE(json_extract(a.value, '$.venue'), ''), COALESCE(json_extract(a.value, '$.participants'), 0)
  FROM reports r, json_each(r.body, '$.activities') a;

INSERT INTO month_outlets(month, outlet, days, checkins, visitors, live, poster, assisted,
    feedback_received, feedback_resolved, activities, activity_participants,
    last_day, last_feedback_open, last_received_at)
  SELECT substr(day, 1, 7), outlet, COUNT(*), SUM(checkins), SUM(visitors), SUM(live), SUM(poster), SUM(assisted),
    SUM(feedback_received), SUM(feedback_resolved), SUM(activities), SUM(activity_participants),
    MAX(day), 0, MAX(received_at)
  FROM reports GROUP BY substr(day, 1, 7), outlet;
UPDATE month_outlets SET last_feedback_open = (SELECT r.feedback_open FROM reports r
  WHERE r.outlet = month_outlets.outlet AND r.day = month_outlets.last_day);

INSERT INTO month_amenities(month, outlet, amenity, checkins, visitors)
  SELECT substr(day, 1, 7), outlet, amenity, SUM(checkins), SUM(visitors)
  FROM report_amenities GROUP BY substr(day, 1, 7), outlet, amenity;

INSERT INTO month_categories(month, outlet, category, checkins)
  SELECT substr(day, 1, 7), outlet, category, SUM(checkins)
  FROM report_categories GROUP BY substr(day, 1, 7), outlet, category;
