-- Outlet schema v10 (issue 11): what the reporter did that staff should
-- read about (a report sent again under a new outlet code, figures stored
-- again above the branch's revision after a restore).
ALTER TABLE reporter_state ADD COLUMN last_notice TEXT NOT NULL DEFAULT '';
ALTER TABLE reporter_state ADD COLUMN last_notice_at INTEGER;

-- Signals of inflation (docs/EVIDENCE.md), counted by the check-in writer
-- over phone check-ins (not assisted):
--   client  HMAC(day salt, client address), 8 bytes as an integer: the
--           writer counts each address's check-ins of the day in memory
--           and reloads them from here after a start; the salt goes after
--           two days, so nothing links an address across days
--   flags   1: no visitor cookie (deduplicated by address and browser),
--           2: made while the opening hours said closed
ALTER TABLE checkins ADD COLUMN client INTEGER;
ALTER TABLE checkins ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;

-- day_counts gains two kinds: 'minute' (code: minute of the local day,
-- 0..1439; phone check-ins) and 'signal' (code: cookieless, off_hours,
-- top_address). SQLite cannot change a CHECK constraint in place.
CREATE TABLE day_counts_new (
  day       TEXT    NOT NULL,
  kind      TEXT    NOT NULL CHECK (kind IN ('total', 'amenity', 'category', 'channel', 'hour', 'minute', 'signal')),
  code      TEXT    NOT NULL,
  check_ins INTEGER NOT NULL DEFAULT 0,
  visitors  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, kind, code)
) WITHOUT ROWID;
INSERT INTO day_counts_new SELECT day, kind, code, check_ins, visitors FROM day_counts;
DROP TABLE day_counts;
ALTER TABLE day_counts_new RENAME TO day_counts;

-- Coverage: the running server's heartbeat sets, every minute, the bit of
-- that minute in its local hour (bit m of minutes: minute m was served).
-- A stop or a clock jump leaves the bits unset. Reports carry the minutes
-- served in each hour.
CREATE TABLE uptime (
  day     TEXT    NOT NULL,
  hour    INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  minutes INTEGER NOT NULL,
  PRIMARY KEY (day, hour)
) WITHOUT ROWID;
