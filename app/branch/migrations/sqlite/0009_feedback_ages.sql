-- Branch schema v9: the ages of each day's feedback resolutions, so that
-- "feedback resolved within N days" is judged exactly (docs/BULLETIN.md).
-- migrations/postgres/0009_feedback_ages.sql is its twin.
--
-- One row per (outlet, day, days): count of the day's resolutions came
-- days local days after the day their feedback was received (the report's
-- feedback.resolved_after). A report without ages has no rows, nor has a
-- day nothing was resolved; the counts add up to reports.feedback_resolved.
-- Only the ingest writer writes these rows, with their report, and it
-- deletes a replaced report's rows itself (store.go). Reports stored before
-- this version carry no ages: nothing to fill in.
CREATE TABLE report_feedback_ages (
  outlet TEXT    NOT NULL,
  day    TEXT    NOT NULL,
  days   INTEGER NOT NULL,
  count  INTEGER NOT NULL,
  PRIMARY KEY (outlet, day, days),
  FOREIGN KEY (outlet, day) REFERENCES reports(outlet, day) ON DELETE CASCADE
);
CREATE INDEX report_feedback_ages_day ON report_feedback_ages(day);
