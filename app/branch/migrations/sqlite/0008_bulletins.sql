-- Branch schema v8 (issue 13): scoring schemes and published bulletins
-- (按月通报、按季考核). migrations/postgres/0008_bulletins.sql is its twin.

-- Every saved version of the scoring scheme, kept for good: a month is
-- scored with the newest version in force for it (effective_from at or
-- before the month). Version 0, the built-in default, is never stored.
--   body     scoring.Scheme as JSON
--   changes  what the version changed from the one before, in words (a
--            JSON array of lines): with created_by and created_at, the
--            change log (who, when, what)
CREATE TABLE scoring_schemes (
  version        INTEGER PRIMARY KEY,
  effective_from TEXT    NOT NULL,   -- YYYY-MM
  body           TEXT    NOT NULL,
  created_by     TEXT    NOT NULL,
  created_at     BIGINT  NOT NULL,
  changes        TEXT    NOT NULL
);
CREATE INDEX scoring_schemes_from ON scoring_schemes(effective_from, version);

-- Every publication of a month's or quarter's bulletin. Publishing
-- freezes the bulletin: snapshot holds its JSON (figures, scores, amounts,
-- the schemes used) byte for byte as published, html the page as it was
-- rendered then. A withdrawn publication stays, with who withdrew it,
-- when and why; at most one per period is published at a time.
CREATE TABLE bulletins (
  id              INTEGER PRIMARY KEY,
  period          TEXT    NOT NULL,   -- 2026-11 or 2026Q4
  kind            TEXT    NOT NULL CHECK (kind IN ('month', 'quarter')),
  period_to       TEXT    NOT NULL,   -- the period's last day, YYYY-MM-DD
  status          TEXT    NOT NULL CHECK (status IN ('published', 'withdrawn')),
  snapshot        TEXT    NOT NULL,
  html            TEXT    NOT NULL,
  published_by    TEXT    NOT NULL,
  published_at    BIGINT  NOT NULL,
  withdrawn_by    TEXT,
  withdrawn_at    BIGINT,
  withdraw_reason TEXT
);
CREATE UNIQUE INDEX bulletins_published ON bulletins(period) WHERE status = 'published';
CREATE INDEX bulletins_period ON bulletins(period, published_at);
