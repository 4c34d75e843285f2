// Package app wires each role together: open the database, migrate, build
// the services and the Fiber app. main and the tests call the same
// constructors.
package app

import (
	"context"
	"net"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/app/outlet"
	"harbor/config"
	"harbor/handlers"
	kioskweb "harbor/kiosk-web"
)

// Outlet is a running outlet role: its services and HTTP app.
type Outlet struct {
	Cfg   config.Outlet
	Svc   *outlet.Service
	Pages *kioskweb.Pages
	HTTP  *fiber.App
	// Auth holds the staff console's accounts, sessions and API tokens.
	Auth *auth.Store
	// Reporter pushes daily reports to the branch once enrolled.
	Reporter *outlet.Reporter
	// Heartbeat records the minutes the outlet serves (coverage).
	Heartbeat *outlet.Heartbeat
	// Puller applies the scans the public gateway took, with
	// --gateway-url.
	Puller *outlet.Puller
}

// NewOutlet opens the outlet's database in cfg.DataDir as its server: it
// records the code, time zone and base URL it serves with (see
// outlet.Open), and builds its HTTP app. now is the clock (nil: time.Now).
// cfg must be validated; the Outlet's Cfg holds the settings in force.
func NewOutlet(ctx context.Context, cfg config.Outlet, now func() time.Time) (*Outlet, error) {
	pages, err := kioskweb.Load()
	if err != nil {
		return nil, err
	}
	cfg.Serving = true
	svc, err := outlet.Open(ctx, cfg, now)
	if err != nil {
		return nil, err
	}
	cfg = svc.Config()
	if err := svc.ApplyPlace(ctx, cfg.Address, cfg.Lat, cfg.Lng); err != nil {
		svc.Close()
		return nil, err
	}
	accounts, err := NewOutletAuth(svc)
	if err != nil {
		svc.Close()
		return nil, err
	}
	reporter := outlet.NewReporter(svc)
	reporter.CycleEvery = cfg.ReportEvery
	return &Outlet{Cfg: cfg, Svc: svc, Pages: pages, Auth: accounts,
		HTTP:     handlers.NewOutletApp(cfg, svc, pages, accounts),
		Reporter: reporter, Heartbeat: outlet.NewHeartbeat(svc), Puller: outlet.NewPuller(svc)}, nil
}

// Run serves HTTP on ln and runs the reporter, the heartbeat and, with a
// gateway, the puller until ctx is cancelled; then it drains in-flight
// requests and stops them before returning.
func (o *Outlet) Run(ctx context.Context, ln net.Listener) error {
	rctx, stop := context.WithCancel(context.Background())
	var done sync.WaitGroup
	done.Go(func() { o.Reporter.Run(rctx) })
	done.Go(func() { o.Heartbeat.Run(rctx) })
	if o.Cfg.GatewayURL != "" {
		done.Go(func() { o.Puller.Run(rctx) })
	}
	err := Serve(ctx, o.HTTP, ln, 10*time.Second)
	stop()
	done.Wait()
	return err
}

// Close stops serving and closes the database.
func (o *Outlet) Close() error {
	_ = o.HTTP.ShutdownWithTimeout(10 * time.Second)
	return o.Svc.Close()
}
