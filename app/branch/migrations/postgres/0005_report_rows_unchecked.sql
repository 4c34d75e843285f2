-- Branch schema v5: migrations/sqlite/0005_report_rows_unchecked.sql is its twin.
-- A report's amenity, category, hour and activity rows no longer carry a
-- foreign key to the report. Only the ingest writer writes them, in the
-- transaction that upserts their report, and it deletes a replaced
-- report's rows itself (store.go); reports are never deleted, so ON DELETE
-- CASCADE never fired. The check cost PostgreSQL a query per row, about
-- half the time of inserting these rows, themselves the largest part of
-- storing a report. SQLite keeps the key (see its twin).
ALTER TABLE report_amenities DROP CONSTRAINT report_amenities_outlet_day_fkey;
ALTER TABLE report_categories DROP CONSTRAINT report_categories_outlet_day_fkey;
ALTER TABLE report_hours DROP CONSTRAINT report_hours_outlet_day_fkey;
ALTER TABLE report_activities DROP CONSTRAINT report_activities_outlet_day_fkey;
