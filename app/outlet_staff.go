package app

import (
	"harbor/app/auth"
	"harbor/app/outlet"
	"harbor/models"
)

// OutletAuthTables are the outlet console's tables (migration 0002_staff.sql).
var OutletAuthTables = auth.Tables{
	Users:    "staff_users",
	Sessions: "staff_sessions",
	Failures: "staff_login_failures",
	Tokens:   "api_tokens",
}

// NewOutletAuth returns the outlet console's accounts, sessions and tokens
// on the outlet's database and clock; the CLI's user commands use it too.
func NewOutletAuth(svc *outlet.Service) (*auth.Store, error) {
	return auth.New(svc.DB(), auth.Config{
		Tables:   OutletAuthTables,
		Roles:    models.OutletRoles,
		Now:      svc.Now,
		Location: svc.Location(),
		LoginKey: svc.DeriveKey("login forms"),
	})
}
