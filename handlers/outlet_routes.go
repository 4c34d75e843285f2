// Package handlers lists every route of each role: the outlet's
// (NewOutletApp), the branch's (NewBranchApp) and the public gateway's
// (NewGatewayApps). The handlers live in subpackages by audience: kiosk
// (the worker pages), staff (the outlet's staff console), console (the
// branch console), api (the JSON APIs machines call), and web, what they
// all share. Handlers turn HTTP requests into calls on the domain services
// and their results into pages or JSON; they never touch the database.
package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"harbor/app/auth"
	"harbor/app/outlet"
	"harbor/config"
	"harbor/handlers/api"
	"harbor/handlers/kiosk"
	"harbor/handlers/staff"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// MaxOutletBody bounds any request body the outlet accepts.
const MaxOutletBody = 64 << 10

// Concurrent connections each role serves at most; beyond that new
// connections are answered 503 at once.
const (
	MaxOutletConns = 4096
	MaxBranchConns = 16384
)

// NewOutletApp builds the outlet's Fiber app. Every route of the outlet role
// is listed here.
func NewOutletApp(cfg config.Outlet, svc *outlet.Service, pages *kioskweb.Pages, accounts *auth.Store) *fiber.App {
	metrics := web.NewMetrics("outlet")
	prefix := config.PathPrefix(cfg.BaseURL)
	pages.SetPrefix(prefix)
	k := &kiosk.Handler{Stations: kiosk.OutletStations(svc), Pages: pages, Metrics: metrics, Prefix: prefix}
	st := &staff.Handler{Svc: svc, Auth: accounts, Pages: pages, Metrics: metrics, Prefix: prefix}
	st.Gate = staff.NewGate(st, accounts)
	app := fiber.New(fiber.Config{
		AppName:                 "harbor outlet",
		ErrorHandler:            web.ErrorHandler(prefix, k.ErrorPage, st.ErrorPage),
		BodyLimit:               MaxOutletBody,
		ReadBufferSize:          16 << 10, // request line and headers; larger is refused (413)
		Concurrency:             MaxOutletConns,
		ReadTimeout:             web.HeaderTimeout, // then 15 s for the body (web.AllowBodyTime)
		WriteTimeout:            15 * time.Second,
		IdleTimeout:             60 * time.Second,
		EnableTrustedProxyCheck: true, // X-Forwarded-Proto; no ProxyHeader: Fiber's is the leftmost address (ClientIP)
		TrustedProxies:          cfg.TrustedProxies,
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
	})
	web.AllowBodyTime(app, 15*time.Second)
	metrics.Gauges(func(ctx context.Context) []float64 {
		st, _ := svc.ReporterStatus(ctx)
		last := 0.0 // never
		if st.LastSuccess != nil {
			last = float64(st.LastSuccess.Unix())
		}
		return []float64{float64(st.Pending), last}
	}, web.Gauge{Name: "harbor_reporter_pending_reports", Help: "Report revisions waiting for the branch."},
		web.Gauge{Name: "harbor_reporter_last_success_timestamp_seconds", Help: "When the branch last accepted a report (0: never)."})
	app.Use(recover.New(), requestid.New(), web.ClientIP(cfg.ProxyHeader, cfg.TrustedProxies), web.AccessLog(),
		metrics.Observe, web.IdentityBodies, web.SecurityHeaders(pages.KioskCSSHash),
		compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	r := routesUnder(app, prefix)
	outletAPI := &api.Outlet{Svc: svc}
	lobby := &kiosk.Lobby{Svc: svc, Kiosk: k}
	limit := web.RateLimit(cfg.RatePerMin)

	r.Get("/healthz", outletAPI.Health)
	r.Get("/metrics", metrics.Handler())
	r.Get("/api/v1/outlet", outletAPI.Profile)
	r.Post("/api/v1/checkins", limit, k.CheckIn)

	r.Get("/", lobby.Home)
	r.Get("/display", lobby.Display)
	workerRoutes(r, k, limit)

	staffRoutes(r, st, web.RateLimit(LoginRatePerMin)) // apart from check-ins: a busy NAT address must not lock staff out
	return app
}

// workerRoutes lists the worker pages of the stations k serves, on the
// outlet and on the public gateway alike.
func workerRoutes(r fiber.Router, k *kiosk.Handler, limit fiber.Handler) {
	r.Get("/k/:outlet", k.Station)
	r.Post("/k/:outlet", limit, k.Submit)
	r.Get("/k/:outlet/done", k.Done)
	r.Get("/k/:outlet/feedback", k.FeedbackForm) // staff console: workers' feedback
	r.Post("/k/:outlet/feedback", limit, k.SubmitFeedback)
	r.Get("/k/:outlet/:amenity", k.Amenity)
	r.Post("/k/:outlet/:amenity", limit, k.Submit)
}

// routesUnder is where a role's routes go: app itself, or the group of
// prefix when the server lives under a path behind a reverse proxy.
func routesUnder(app *fiber.App, prefix string) fiber.Router {
	if prefix == "" {
		return app
	}
	return app.Group(prefix)
}

// staffRoutes lists the staff console (issue 3): its pages, the workers'
// feedback form, the stats API and the console's static files. Every
// /staff route runs Session first, which loads the session and checks the
// CSRF token of state-changing requests; Require checks login and role.
// loginLimit guards the forms that check a password.
func staffRoutes(r fiber.Router, st *staff.Handler, loginLimit fiber.Handler) {
	g := st.Gate
	anyone := g.Require(models.RoleManager, models.RoleStaff)
	manager := g.Require(models.RoleManager)

	r.Get("/static/:file", st.Static)
	r.Get("/api/v1/stats", g.APIAuth, st.Stats)

	s := r.Group("/staff", g.Session)
	s.Get("", func(c *fiber.Ctx) error { return c.Redirect(g.Home, fiber.StatusSeeOther) })
	g.Routes(s, loginLimit)

	s.Get("/today", anyone, st.Today)
	s.Get("/history", anyone, web.OrDefault(st.History))
	s.Get("/history.csv", anyone, st.ExportCSV)
	s.Get("/history.xlsx", anyone, st.ExportXLSX)
	s.Get("/assisted", anyone, st.AssistedForm)
	s.Post("/assisted", anyone, st.RecordAssisted)
	s.Get("/assisted/:id", anyone, st.AssistedEdit)
	s.Post("/assisted/:id", anyone, st.CorrectAssisted)
	s.Post("/assisted/:id/void", anyone, st.VoidAssisted)
	s.Get("/feedback", anyone, st.FeedbackInbox)
	s.Post("/feedback/:id/resolve", anyone, st.ResolveFeedback)
	s.Get("/activities", anyone, web.OrDefault(st.Activities))
	s.Post("/activities", anyone, st.AddActivity)
	s.Get("/activities/:id", anyone, st.ActivityEdit)
	s.Post("/activities/:id", anyone, st.CorrectActivity)
	s.Post("/activities/:id/void", anyone, st.VoidActivity)
	s.Get("/corrections", manager, st.Corrections)

	s.Get("/amenities", manager, st.Amenities)
	s.Post("/amenities", manager, st.AddAmenity)
	s.Post("/amenities/hours", manager, st.SetOpeningHours)
	s.Post("/amenities/place", manager, st.SetPlace)
	s.Post("/amenities/:code/enabled", manager, st.SetAmenityEnabled)
	s.Post("/amenities/:code/move", manager, st.MoveAmenity)
	s.Post("/amenities/:code/pinned", manager, st.SetAmenityPinned)
	s.Get("/posters", manager, st.Posters)
	s.Get("/posters/station", manager, st.StationPoster)
	s.Get("/posters/stickers", manager, st.Stickers)
	s.Post("/posters/replace", manager, st.ReplacePosters)
	s.Get("/check", manager, st.SelfCheck)
	st.Accounts().Routes(s, manager)
}
