-- Branch schema v1: outlets, enrollment codes, current reports and their
-- figures, receipts. migrations/postgres holds the same schema for PostgreSQL.
-- Instants are unix milliseconds (UTC); days are local YYYY-MM-DD text.

CREATE TABLE outlets (
  code            TEXT PRIMARY KEY,
  name            TEXT   NOT NULL,
  grp             TEXT   NOT NULL DEFAULT '',
  public_key      TEXT,             -- base64 Ed25519 key; NULL until enrolled
  status          TEXT   NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at      BIGINT NOT NULL,
  enrolled_at     BIGINT,
  revoked_at      BIGINT,
  last_contact_at BIGINT            -- last authenticated push or enrollment
);
CREATE UNIQUE INDEX outlets_public_key ON outlets(public_key);
CREATE INDEX outlets_grp ON outlets(grp);

-- One-time enrollment codes; only a SHA-256 hash of each code is kept.
CREATE TABLE enrollment_codes (
  code_hash  TEXT PRIMARY KEY,
  outlet     TEXT   NOT NULL REFERENCES outlets(code),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX enrollment_codes_outlet ON enrollment_codes(outlet);

-- Exactly one current report per outlet and local day, with its figures as
-- columns so that sums across outlets and days are plain SQL.
CREATE TABLE reports (
  outlet                TEXT    NOT NULL REFERENCES outlets(code),
  day                   TEXT    NOT NULL,
  revision              INTEGER NOT NULL CHECK (revision >= 1),
  final                 BOOLEAN NOT NULL,
  timezone              TEXT    NOT NULL,
  content_hash          TEXT    NOT NULL,
  body                  TEXT    NOT NULL, -- the signed document as received
  generated_at          TEXT    NOT NULL, -- as the outlet wrote it (RFC 3339)
  received_at           BIGINT  NOT NULL,
  checkins              INTEGER NOT NULL,
  visitors              INTEGER NOT NULL,
  live                  INTEGER NOT NULL,
  poster                INTEGER NOT NULL,
  assisted              INTEGER NOT NULL,
  feedback_received     INTEGER NOT NULL DEFAULT 0,
  feedback_resolved     INTEGER NOT NULL DEFAULT 0,
  feedback_open         INTEGER NOT NULL DEFAULT 0,
  activities            INTEGER NOT NULL DEFAULT 0,
  activity_participants INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (outlet, day)
);
CREATE INDEX reports_day ON reports(day);

-- The current report's per-amenity, per-category and per-hour figures,
-- replaced together with it. Hours with no check-ins have no row.
CREATE TABLE report_amenities (
  outlet   TEXT    NOT NULL,
  day      TEXT    NOT NULL,
  amenity  TEXT    NOT NULL,
  checkins INTEGER NOT NULL,
  visitors INTEGER NOT NULL,
  PRIMARY KEY (outlet, day, amenity),
  FOREIGN KEY (outlet, day) REFERENCES reports(outlet, day) ON DELETE CASCADE
);
CREATE INDEX report_amenities_day ON report_amenities(day, amenity);

CREATE TABLE report_categories (
  outlet   TEXT    NOT NULL,
  day      TEXT    NOT NULL,
  category TEXT    NOT NULL,
  checkins INTEGER NOT NULL,
  PRIMARY KEY (outlet, day, category),
  FOREIGN KEY (outlet, day) REFERENCES reports(outlet, day) ON DELETE CASCADE
);
CREATE INDEX report_categories_day ON report_categories(day, category);

CREATE TABLE report_hours (
  outlet   TEXT    NOT NULL,
  day      TEXT    NOT NULL,
  hour     INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  checkins INTEGER NOT NULL,
  PRIMARY KEY (outlet, day, hour),
  FOREIGN KEY (outlet, day) REFERENCES reports(outlet, day) ON DELETE CASCADE
);
CREATE INDEX report_hours_day ON report_hours(day, hour);

-- Every authenticated, well-formed push and how it was answered: stored,
-- replaced, duplicate, stale or conflict. Rejected pushes leave no row.
CREATE TABLE report_receipts (
  outlet      TEXT    NOT NULL REFERENCES outlets(code),
  day         TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('stored', 'replaced', 'duplicate', 'stale', 'conflict')),
  received_at BIGINT  NOT NULL
);
CREATE INDEX report_receipts_outlet_day ON report_receipts(outlet, day, received_at);
CREATE INDEX report_receipts_received ON report_receipts(received_at);
