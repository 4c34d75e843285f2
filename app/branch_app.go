package app

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/app/branch"
	"harbor/config"
	"harbor/handlers"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Branch is a running branch role: its services and HTTP app.
type Branch struct {
	Cfg  config.Branch
	Svc  *branch.Service
	HTTP *fiber.App
	// Auth holds the branch console's accounts, sessions and API tokens.
	Auth *auth.Store
}

// NewBranch opens the branch's database named by cfg and builds its HTTP
// app. now is the clock (nil: time.Now). cfg must be validated.
func NewBranch(ctx context.Context, cfg config.Branch, now func() time.Time) (*Branch, error) {
	pages, err := kioskweb.Load()
	if err != nil {
		return nil, err
	}
	svc, err := branch.Open(ctx, cfg, now)
	if err != nil {
		return nil, err
	}
	loginKey, err := svc.DeriveKey("login forms")
	if err != nil {
		slog.Warn("login forms will need reloading after a restart: no gateway key", "err", err)
	}
	accounts, err := NewBranchAuth(svc, loginKey)
	if err != nil {
		svc.Close()
		return nil, err
	}
	return &Branch{Cfg: cfg, Svc: svc, Auth: accounts,
		HTTP: handlers.NewBranchApp(cfg, svc, pages, accounts)}, nil
}

// BranchAuthTables are the branch console's tables (migration 0003_console.sql).
var BranchAuthTables = auth.Tables{
	Users:    "branch_users",
	Sessions: "branch_sessions",
	Failures: "branch_login_failures",
	Tokens:   "branch_api_tokens",
}

// NewBranchAuth returns the branch console's accounts, sessions and tokens
// on the branch's database and clock; the CLI's user commands use it too,
// with no loginKey (they show no forms, and must not make the gateway key
// file as another user than the server's).
func NewBranchAuth(svc *branch.Service, loginKey []byte) (*auth.Store, error) {
	return auth.New(svc.DB(), auth.Config{
		Tables:   BranchAuthTables,
		Roles:    models.BranchRoles,
		Now:      svc.Now,
		Location: svc.Location(),
		LoginKey: loginKey,
	})
}

// Run serves HTTP on ln until ctx is cancelled, then drains in-flight
// requests before returning.
func (b *Branch) Run(ctx context.Context, ln net.Listener) error {
	return Serve(ctx, b.HTTP, ln, 10*time.Second)
}

// Close stops serving and closes the database.
func (b *Branch) Close() error {
	_ = b.HTTP.ShutdownWithTimeout(10 * time.Second)
	return b.Svc.Close()
}
