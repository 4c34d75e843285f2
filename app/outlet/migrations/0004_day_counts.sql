-- Outlet schema v4: per-day counters for the daily report, so that a day's
-- report reads a few dozen rows instead of counting a million. The
-- check-in writer (app/outlet/writer.go) updates them in the transaction
-- that stores the check-ins; every insert into checkins and
-- checkin_amenities goes through it.
--
-- One row per local day and figure: kind 'total' (code ''), 'amenity',
-- 'category' ('' when none was chosen), 'channel', 'hour' ('0'..'23').
-- check_ins is SUM(people). visitors (total and amenity rows) is
-- COUNT(DISTINCT visitor) plus the people of visits without a visitor id
-- (assisted), exactly what the report counted from the rows before.
CREATE TABLE day_counts (
  day       TEXT    NOT NULL,
  kind      TEXT    NOT NULL CHECK (kind IN ('total', 'amenity', 'category', 'channel', 'hour')),
  code      TEXT    NOT NULL,
  check_ins INTEGER NOT NULL DEFAULT 0,
  visitors  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, kind, code)
) WITHOUT ROWID;

-- Counters for the days already recorded.
INSERT INTO day_counts(day, kind, code, check_ins, visitors)
  SELECT day, 'total', '', SUM(people),
    COUNT(DISTINCT visitor) + COALESCE(SUM(CASE WHEN visitor IS NULL THEN people END), 0)
  FROM checkins GROUP BY day;
INSERT INTO day_counts(day, kind, code, check_ins, visitors)
  SELECT day, 'category', category, SUM(people), 0 FROM checkins GROUP BY day, category;
INSERT INTO day_counts(day, kind, code, check_ins, visitors)
  SELECT day, 'channel', channel, SUM(people), 0 FROM checkins GROUP BY day, channel;
INSERT INTO day_counts(day, kind, code, check_ins, visitors)
  SELECT day, 'hour', CAST(hour AS TEXT), SUM(people), 0 FROM checkins GROUP BY day, hour;
INSERT INTO day_counts(day, kind, code, check_ins, visitors)
  SELECT day, 'amenity', amenity, SUM(people),
    COUNT(DISTINCT visitor) + COALESCE(SUM(CASE WHEN visitor IS NULL THEN people END), 0)
  FROM checkin_amenities GROUP BY day, amenity;

-- Fewer pages written per check-in, so more check-ins per commit: a
-- visitor's rows are found through one index entry per check-in instead of
-- one per amenity, and the day index grows at one end instead of at one
-- place per amenity. (The report reads day_counts, not the rows.)
DROP INDEX checkin_amenities_dedupe;
CREATE INDEX checkins_visitor ON checkins(visitor) WHERE visitor IS NOT NULL;
DROP INDEX checkin_amenities_day;
CREATE INDEX checkin_amenities_day ON checkin_amenities(day);

-- Check-ins are facts: they are never changed or deleted, which is what
-- keeps the counters equal to a recount (RecountReport).
CREATE TRIGGER checkins_frozen_update BEFORE UPDATE ON checkins BEGIN
  SELECT RAISE(ABORT, 'check-ins are never changed (day_counts depends on it)');
END;
CREATE TRIGGER checkins_frozen_delete BEFORE DELETE ON checkins BEGIN
  SELECT RAISE(ABORT, 'check-ins are never deleted (day_counts depends on it)');
END;
CREATE TRIGGER checkin_amenities_frozen_update BEFORE UPDATE ON checkin_amenities BEGIN
  SELECT RAISE(ABORT, 'check-ins are never changed (day_counts depends on it)');
END;
CREATE TRIGGER checkin_amenities_frozen_delete BEFORE DELETE ON checkin_amenities BEGIN
  SELECT RAISE(ABORT, 'check-ins are never deleted (day_counts depends on it)');
END;
