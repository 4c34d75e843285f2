-- Outlet schema v5: no index on checkins(visitor). The check-in writer now
-- keeps the day's visits in memory for dedupe and the distinct-visitor
-- counters (app/outlet/visitor_memory.go) and loads a day from
-- checkin_amenities(day) when it starts. Visitor hashes are random by
-- design, so the index dirtied a page of its own for nearly every check-in:
-- about a quarter of the writer's time.
DROP INDEX checkins_visitor;
