-- Receipts get an explicit id, so that "in the order received" holds when
-- two pushes arrive within the same millisecond and is spelt the same way
-- on both backends. See migrations/sqlite/0002_receipt_ids.sql.

ALTER TABLE report_receipts ADD COLUMN id BIGSERIAL PRIMARY KEY;
