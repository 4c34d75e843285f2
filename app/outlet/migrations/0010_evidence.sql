-- Outlet schema v10 (issue 11): what the reporter did that staff should
-- read about (a report sent again under a new outlet code, figures stored
-- again above the branch's revision after a restore).
ALTER TABLE reporter_state ADD COLUMN last_notice TEXT NOT NULL DEFAULT '';
ALTER TABLE reporter_state ADD COLUMN last_notice_at INTEGER;
