-- Receipts get an explicit id, so that "in the order received" holds when
-- two pushes arrive within the same millisecond and is spelt the same way
-- on both backends. Existing rows keep their rowid as id, and so their order.

CREATE TABLE report_receipts_new (
  id          INTEGER PRIMARY KEY,
  outlet      TEXT    NOT NULL REFERENCES outlets(code),
  day         TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  outcome     TEXT    NOT NULL CHECK (outcome IN ('stored', 'replaced', 'duplicate', 'stale', 'conflict')),
  received_at BIGINT  NOT NULL
);
INSERT INTO report_receipts_new(id, outlet, day, revision, outcome, received_at)
  SELECT rowid, outlet, day, revision, outcome, received_at FROM report_receipts;
DROP TABLE report_receipts;
ALTER TABLE report_receipts_new RENAME TO report_receipts;
CREATE INDEX report_receipts_outlet_day ON report_receipts(outlet, day, received_at);
CREATE INDEX report_receipts_received ON report_receipts(received_at);
