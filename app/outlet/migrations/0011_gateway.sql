-- Outlet schema v11 (issue 12): the public gateway's inbox, applied here.

-- Every item pulled from a gateway, by the gateway's instance id and the
-- item's id, written in the transaction that applies it: applying is
-- idempotent, so a lost acknowledgement or a pull from an older cursor
-- (the outlet restored from a backup) never counts a scan twice. outcome
-- is recorded, duplicate, feedback, or refused:<error code>.
CREATE TABLE gateway_applied (
  gateway    TEXT    NOT NULL,
  item       INTEGER NOT NULL,
  applied_at INTEGER NOT NULL,
  outcome    TEXT    NOT NULL,
  PRIMARY KEY (gateway, item)
) WITHOUT ROWID;

-- Where this outlet stands with its gateway: the gateway instance and the
-- cursor (every item up to it applied), the branch's credential the pulls
-- carry, and the last success and problem, for the Today page and health.
CREATE TABLE gateway_state (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  gateway       TEXT    NOT NULL DEFAULT '',
  cursor        INTEGER NOT NULL DEFAULT 0,
  credential    TEXT    NOT NULL DEFAULT '',
  credential_at INTEGER,
  last_success  INTEGER,
  last_error    TEXT    NOT NULL DEFAULT '',
  last_error_at INTEGER
);
INSERT INTO gateway_state(id) VALUES (1);

-- checkins.flags gains bit 4: taken at the public gateway; day_counts
-- counts those under kind 'signal', code 'gateway' (the report's paths).
