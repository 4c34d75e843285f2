-- Branch schema v7 (issue 11): evidence the branch can pay on.
-- migrations/sqlite/0007_evidence.sql is its twin.
--
-- reports: what arrived when, and what the report says about coverage and
-- the signals of inflation. All NULL (or zero) on reports from before this
-- version and from outlets that do not send them: "unknown".
--   figures_hash       models.FiguresHash of the report ('' before v7)
--   first_received_at  when the first revision of the outlet-day arrived
--   changed_at         when its figures last changed (a revision that only
--                      made the day final changes nothing)
--   up_minutes         minutes the outlet served within its opening hours
--   open_minutes       minutes of opening hours of the day (of the hours
--                      over, for an intraday report); NULL: coverage unknown
--   sig_phone          phone check-ins (live + poster); NULL: no signals
--   cookieless, off_hours, top_address, burst_checkins, busiest_minute,
--   busiest_at         the report's signals (models.Signals)
ALTER TABLE reports ADD COLUMN figures_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN first_received_at BIGINT;
ALTER TABLE reports ADD COLUMN changed_at BIGINT;
ALTER TABLE reports ADD COLUMN up_minutes INTEGER;
ALTER TABLE reports ADD COLUMN open_minutes INTEGER;
ALTER TABLE reports ADD COLUMN sig_phone INTEGER;
ALTER TABLE reports ADD COLUMN cookieless INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN off_hours INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN top_address INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN burst_checkins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN busiest_minute INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN busiest_at TEXT NOT NULL DEFAULT '';
-- The outlet-days whose coverage fell short, for the period views: few.
CREATE INDEX reports_gaps ON reports(day, outlet) WHERE up_minutes < open_minutes;

-- The month rollups sum the same, so that months and quarters read one
-- row per outlet and month (rollup.go).
ALTER TABLE month_outlets ADD COLUMN cov_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN up_minutes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN open_minutes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN sig_phone BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN cookieless BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN off_hours BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN top_address BIGINT NOT NULL DEFAULT 0;
ALTER TABLE month_outlets ADD COLUMN burst_checkins BIGINT NOT NULL DEFAULT 0;
