package app

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/gateway"
	"harbor/config"
	"harbor/handlers"
	kioskweb "harbor/kiosk-web"
)

// Gateway is a running public gateway (docs/GATEWAY.md): its service and
// the apps of its three listeners.
type Gateway struct {
	Cfg config.Gateway
	Svc *gateway.Service
	handlers.GatewayApps
}

// NewGateway opens the gateway's database in cfg.DataDir and builds its
// apps. now is the clock (nil: time.Now). cfg must be validated.
func NewGateway(ctx context.Context, cfg config.Gateway, now func() time.Time) (*Gateway, error) {
	pages, err := kioskweb.Load()
	if err != nil {
		return nil, err
	}
	svc, err := gateway.Open(ctx, cfg, now)
	if err != nil {
		return nil, err
	}
	return &Gateway{Cfg: cfg, Svc: svc, GatewayApps: handlers.NewGatewayApps(cfg, svc, pages)}, nil
}

// GatewayListeners are the gateway's three listeners.
type GatewayListeners struct{ Public, Pulls, Admin net.Listener }

// ListenGateway opens the gateway's listeners: the public one with the
// per-address cap, the pull one without (outlets often share one egress
// address), both with TLS when configured; the admin one plain.
func ListenGateway(cfg config.Gateway) (GatewayListeners, error) {
	var l GatewayListeners
	var err error
	if l.Public, err = Listen(cfg.Addr, cfg.TLS, cfg.MaxConnsPerIP, cfg.TrustedProxies); err != nil {
		return l, err
	}
	if l.Pulls, err = Listen(cfg.PullAddr, cfg.TLS, 0, nil); err != nil {
		l.Public.Close()
		return l, err
	}
	if l.Admin, err = Listen(cfg.AdminAddr, config.TLS{}, 0, nil); err != nil {
		l.Public.Close()
		l.Pulls.Close()
		return l, err
	}
	return l, nil
}

// Run serves the three listeners and purges old items until ctx is
// cancelled; then held pulls answer at once, and in-flight requests drain.
func (g *Gateway) Run(ctx context.Context, l GatewayListeners) error {
	pctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { g.Svc.RunPurge(pctx) })
	errs := make(chan error, 3)
	serve := func(app *fiber.App, ln net.Listener) {
		errs <- app.Listener(ln)
	}
	go serve(g.Public, l.Public)
	go serve(g.Pulls, l.Pulls)
	go serve(g.Admin, l.Admin)
	var err error
	select {
	case err = <-errs:
	case <-ctx.Done():
	}
	g.Svc.Stop()
	for _, app := range []*fiber.App{g.Public, g.Pulls, g.Admin} {
		if serr := app.ShutdownWithTimeout(10 * time.Second); serr != nil && !errors.Is(serr, context.DeadlineExceeded) && err == nil {
			err = serr
		}
	}
	stop()
	wg.Wait()
	return err
}

// Close stops serving and closes the database.
func (g *Gateway) Close() error {
	for _, app := range []*fiber.App{g.Public, g.Pulls, g.Admin} {
		_ = app.ShutdownWithTimeout(10 * time.Second)
	}
	return g.Svc.Close()
}
