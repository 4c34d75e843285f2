-- Outlet schema v6: sessions exist only once logged in. The login form's
-- CSRF token is now signed and stateless (app/auth LoginToken), so showing
-- the form stores nothing; the pre-login rows of older versions go. The
-- cleanup at each login reads created_at and last_seen, and the one at
-- each failed login reads at: both are indexed, so neither scans a table
-- on the writer connection.
DELETE FROM staff_sessions WHERE user_id IS NULL;
CREATE INDEX staff_sessions_created ON staff_sessions(created_at);
CREATE INDEX staff_login_failures_at ON staff_login_failures(at);
