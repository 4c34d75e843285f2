-- Outlet schema v8: the outlet's time zone and base URL are recorded in
-- settings beside its code (keys 'timezone', 'base_url', 'base_url_derived';
-- see app/outlet/settings.go), so that every command works with the ones
-- the server serves with. The server records them at its next start.
--
-- Until then, a database from before this version has served in the time
-- zone its reports carry: record the newest report's, so that a command run
-- before that start labels days as the server did.
INSERT OR IGNORE INTO settings(key, value)
  SELECT 'timezone', json_extract(body, '$.timezone') FROM report_revisions
  WHERE json_valid(body) AND COALESCE(json_extract(body, '$.timezone'), '') <> ''
  ORDER BY created_at DESC, day DESC, revision DESC
  LIMIT 1;
