-- Branch schema v4: day rollups across the whole network. migrations/postgres/0004_day_rollups.sql is its twin.
-- day_totals, day_amenities and day_categories hold every outlet's current
-- report of one day summed, kept in the transaction that stores a report
-- (a new report adds its figures, a replaced one adds the difference), so
-- the overview's trend and the network's amenity and category figures over
-- any days read a row per day instead of a row per outlet and day.
-- They replace month_amenities and month_categories (migration 0003), which
-- only those sums read: the stored reports' amenity and category rows, and
-- these, hold the same figures. month_outlets stays: per-outlet sums.
CREATE TABLE day_totals (
  day      TEXT   PRIMARY KEY,
  reports  BIGINT NOT NULL,
  checkins BIGINT NOT NULL,
  visitors BIGINT NOT NULL                -- the day's uniques, added over outlets
);

CREATE TABLE day_amenities (
  day      TEXT   NOT NULL,
  amenity  TEXT   NOT NULL,
  checkins BIGINT NOT NULL,
  visitors BIGINT NOT NULL,
  PRIMARY KEY (day, amenity)
);

CREATE TABLE day_categories (
  day      TEXT   NOT NULL,
  category TEXT   NOT NULL,
  checkins BIGINT NOT NULL,
  PRIMARY KEY (day, category)
);

INSERT INTO day_totals(day, reports, checkins, visitors)
  SELECT day, COUNT(*), SUM(checkins), SUM(visitors) FROM reports GROUP BY day;
INSERT INTO day_amenities(day, amenity, checkins, visitors)
  SELECT day, amenity, SUM(checkins), SUM(visitors) FROM report_amenities GROUP BY day, amenity;
INSERT INTO day_categories(day, category, checkins)
  SELECT day, category, SUM(checkins) FROM report_categories GROUP BY day, category;

DROP TABLE month_amenities;
DROP TABLE month_categories;
