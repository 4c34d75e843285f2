-- Outlet schema v7: corrections of staff entries, and pinned amenities.
--
-- Staff may correct (edit or void) an assisted visit on the day it was
-- recorded, and an education activity while its month is open
-- (app/outlet/corrections.go). Check-ins that workers made stay facts:
-- the triggers of migration 0004 now let only assisted visits change, and
-- only app/outlet changes them, adjusting day_counts in the same
-- transaction so that the counters still equal a recount.
DROP TRIGGER checkins_frozen_update;
DROP TRIGGER checkins_frozen_delete;
DROP TRIGGER checkin_amenities_frozen_update;
DROP TRIGGER checkin_amenities_frozen_delete;
CREATE TRIGGER checkins_frozen_update BEFORE UPDATE ON checkins WHEN OLD.channel <> 'assisted' BEGIN
  SELECT RAISE(ABORT, 'check-ins are never changed (day_counts depends on it)');
END;
CREATE TRIGGER checkins_frozen_delete BEFORE DELETE ON checkins WHEN OLD.channel <> 'assisted' BEGIN
  SELECT RAISE(ABORT, 'check-ins are never deleted (day_counts depends on it)');
END;
CREATE TRIGGER checkin_amenities_frozen_update BEFORE UPDATE ON checkin_amenities
  WHEN (SELECT channel FROM checkins WHERE id = OLD.checkin_id) IS NOT 'assisted' BEGIN
  SELECT RAISE(ABORT, 'check-ins are never changed (day_counts depends on it)');
END;
CREATE TRIGGER checkin_amenities_frozen_delete BEFORE DELETE ON checkin_amenities
  WHEN (SELECT channel FROM checkins WHERE id = OLD.checkin_id) IS NOT 'assisted' BEGIN
  SELECT RAISE(ABORT, 'check-ins are never deleted (day_counts depends on it)');
END;

-- The audit trail of corrections, for managers: who, when, what it was
-- before and after (JSON of app/outlet.CorrectionValues; after is '' for
-- a void), and the reason given.
CREATE TABLE corrections (
  id        INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,            -- unix milliseconds UTC
  staff     TEXT    NOT NULL,            -- account that corrected
  kind      TEXT    NOT NULL CHECK (kind IN ('assisted', 'activity')),
  action    TEXT    NOT NULL CHECK (action IN ('edit', 'void')),
  target_id INTEGER NOT NULL,            -- checkins.id or activities.id
  day       TEXT    NOT NULL,            -- the local day whose figures changed
  before    TEXT    NOT NULL,
  after     TEXT    NOT NULL DEFAULT '',
  reason    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX corrections_at ON corrections(at);

-- Amenities a manager pinned to the top of the station page (otherwise the
-- most used of the last four weeks come first).
ALTER TABLE amenities ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
