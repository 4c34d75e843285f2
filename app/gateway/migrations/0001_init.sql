-- Gateway schema v1 (issue 12): the public gateway's inbox. Instants are
-- unix milliseconds (UTC).

-- id: this gateway's instance id (random, made with the database; an
-- outlet's cursor belongs to it); secret: the key of the form tickets the
-- gateway gives after a scan of a lobby screen.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Every outlet that has pulled with a credential of a trusted branch: its
-- key and zone as the newest credential said, the station sheet it sent
-- last, and its cursor. acked: every item up to it is applied at the
-- outlet; purged: items up to it were deleted after the retention window.
CREATE TABLE outlets (
  code                  TEXT PRIMARY KEY,
  public_key            TEXT    NOT NULL,
  timezone              TEXT    NOT NULL,
  credential_issued_at  INTEGER NOT NULL,
  credential_expires_at INTEGER NOT NULL,
  sheet                 TEXT,
  sheet_at              INTEGER,
  acked                 INTEGER NOT NULL DEFAULT 0,
  purged                INTEGER NOT NULL DEFAULT 0,
  first_pull_at         INTEGER NOT NULL,
  last_pull_at          INTEGER NOT NULL
);

-- The inbox: what the gateway accepted for each outlet, as the item the
-- outlet pulls (JSON; its id is the row's). AUTOINCREMENT: an id is never
-- used twice, even after the newest rows are purged, since outlets apply
-- items idempotently by id.
CREATE TABLE inbox (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  outlet      TEXT    NOT NULL,
  received_at INTEGER NOT NULL,
  item        TEXT    NOT NULL
);
CREATE INDEX inbox_outlet ON inbox(outlet, id);

-- A random salt per local day (of each outlet's zone) for the daily
-- pseudonyms of visitor cookies and client addresses; deleted after two
-- days, so nothing links a worker across days.
CREATE TABLE day_salts (
  day  TEXT PRIMARY KEY,
  salt BLOB NOT NULL
);
