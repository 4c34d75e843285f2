-- Outbox: every stored report revision waits here until the branch answers
-- accepted or stale. Delivery state lives on the revision row itself, so a
-- revision and its place in the outbox are written in one transaction.
ALTER TABLE report_revisions ADD COLUMN outcome TEXT NOT NULL DEFAULT 'pending'
  CHECK (outcome IN ('pending', 'accepted', 'stale', 'superseded', 'conflict'));
ALTER TABLE report_revisions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_revisions ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE report_revisions ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE report_revisions ADD COLUMN delivered_at INTEGER;
CREATE INDEX report_revisions_pending ON report_revisions(day, revision) WHERE outcome = 'pending';

-- Days whose figures changed since their last report revision.
CREATE TABLE report_dirty (
  day TEXT PRIMARY KEY,
  gen INTEGER NOT NULL DEFAULT 1
);

-- Reporter state shown to staff and in /healthz.
CREATE TABLE reporter_state (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  last_success_at INTEGER,
  last_attempt_at INTEGER,
  last_error      TEXT NOT NULL DEFAULT ''
);
INSERT INTO reporter_state(id) VALUES (1);

-- Check-ins recorded before this migration belong to days never reported.
INSERT INTO report_dirty(day) SELECT DISTINCT day FROM checkins WHERE true
  ON CONFLICT(day) DO NOTHING;
