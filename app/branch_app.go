package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/config"
	"harbor/handlers"
)

// Branch is a running branch role: its services and HTTP app.
type Branch struct {
	Cfg  config.Branch
	Svc  *branch.Service
	HTTP *fiber.App
}

// NewBranch opens the branch's database named by cfg and builds its HTTP
// app. now is the clock (nil: time.Now). cfg must be validated.
func NewBranch(ctx context.Context, cfg config.Branch, now func() time.Time) (*Branch, error) {
	svc, err := branch.Open(ctx, cfg, now)
	if err != nil {
		return nil, err
	}
	return &Branch{Cfg: cfg, Svc: svc, HTTP: handlers.NewBranchApp(cfg, svc)}, nil
}

// Close stops serving and closes the database.
func (b *Branch) Close() error {
	_ = b.HTTP.ShutdownWithTimeout(10 * time.Second)
	return b.Svc.Close()
}
