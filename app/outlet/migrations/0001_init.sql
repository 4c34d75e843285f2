-- Outlet schema v1: settings, amenities, check-ins, visitor salts, reports.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The amenities this outlet offers: the standard catalog plus custom ones.
CREATE TABLE amenities (
  code     TEXT PRIMARY KEY,
  zh       TEXT NOT NULL,
  en       TEXT NOT NULL,
  grp      TEXT NOT NULL,
  icon     TEXT NOT NULL,
  custom   INTEGER NOT NULL DEFAULT 0,
  enabled  INTEGER NOT NULL DEFAULT 1,
  position INTEGER NOT NULL DEFAULT 0
);

-- One row per recorded visit. at is the UTC instant in unix milliseconds;
-- day and hour are local to the outlet's time zone at that instant.
CREATE TABLE checkins (
  id       INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  day      TEXT    NOT NULL,
  hour     INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  channel  TEXT    NOT NULL CHECK (channel IN ('live', 'poster', 'assisted')),
  category TEXT    NOT NULL DEFAULT '',
  visitor  TEXT,             -- HMAC(day salt, cookie id); NULL for assisted visits
  people   INTEGER NOT NULL DEFAULT 1 CHECK (people BETWEEN 1 AND 1000),
  staff    TEXT              -- account that recorded an assisted visit
);
CREATE INDEX checkins_day ON checkins(day, channel);

-- The amenities used in one visit; day, visitor, at and people repeat the
-- visit's so that dedupe and daily sums need no join.
CREATE TABLE checkin_amenities (
  checkin_id INTEGER NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
  amenity    TEXT    NOT NULL,
  day        TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  visitor    TEXT,
  people     INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (checkin_id, amenity)
);
CREATE INDEX checkin_amenities_dedupe ON checkin_amenities(visitor, amenity, at) WHERE visitor IS NOT NULL;
CREATE INDEX checkin_amenities_day ON checkin_amenities(day, amenity);

-- Random salt per local day; rows older than two days are deleted so that
-- nothing links a visitor across days.
CREATE TABLE day_salts (
  day  TEXT PRIMARY KEY,
  salt BLOB NOT NULL
);

-- Every revision of every day's report document, as generated.
CREATE TABLE report_revisions (
  day        TEXT    NOT NULL,
  revision   INTEGER NOT NULL,
  hash       TEXT    NOT NULL,
  final      INTEGER NOT NULL,
  body       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (day, revision)
);
