-- Branch schema v6: migrations/sqlite/0006_hardening.sql is its twin.
-- Console sessions exist only once logged in: the login form's CSRF token
-- is signed and stateless (app/auth LoginToken), so the pre-login rows of
-- older versions go, and what the cleanups read is indexed.
DELETE FROM branch_sessions WHERE user_id IS NULL;
CREATE INDEX branch_sessions_created ON branch_sessions(created_at);
CREATE INDEX branch_login_failures_at ON branch_login_failures(at);
