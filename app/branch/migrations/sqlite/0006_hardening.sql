-- Branch schema v6: migrations/postgres/0006_hardening.sql is its twin.
-- Console sessions exist only once logged in: the login form's CSRF token
-- is signed and stateless (app/auth LoginToken), so the pre-login rows of
-- older versions go, and what the cleanups read is indexed.
DELETE FROM branch_sessions WHERE user_id IS NULL;
CREATE INDEX branch_sessions_created ON branch_sessions(created_at);
CREATE INDEX branch_login_failures_at ON branch_login_failures(at);

-- Each outlet's time zone, pinned at enrollment (the enroll request
-- carries it): a report in another zone is refused (timezone_mismatch)
-- until 'harbor branch outlet timezone CODE ZONE' accepts the change.
-- Outlets enrolled before take the zone of their newest report, or, with
-- none yet, of their first accepted one.
ALTER TABLE outlets ADD COLUMN timezone TEXT;
UPDATE outlets SET timezone = (SELECT r.timezone FROM reports r WHERE r.outlet = outlets.code
  ORDER BY r.day DESC LIMIT 1);
