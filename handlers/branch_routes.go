package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"harbor/app/auth"
	"harbor/app/branch"
	"harbor/config"
	"harbor/handlers/api"
	"harbor/handlers/console"
	"harbor/handlers/kiosk"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// EnrollRatePerMin bounds enrollment attempts per client IP per minute.
// Codes carry 160 random bits, so this only keeps noise out of the logs.
const EnrollRatePerMin = 20

// Per client IP per minute: posts of the consoles' login and password
// forms (both roles; each app has its own count, apart from check-ins),
// and the public directory (generous: many phones share a carrier's
// address; answers are cached).
const (
	LoginRatePerMin     = 30
	DirectoryRatePerMin = 600
)

// NewBranchApp builds the branch's Fiber app. Every route of the branch role
// is listed here.
func NewBranchApp(cfg config.Branch, svc *branch.Service, pages *kioskweb.Pages, accounts *auth.Store) *fiber.App {
	con := &console.Handler{Svc: svc, Auth: accounts, Pages: pages}
	con.Gate = console.NewGate(con)
	app := fiber.New(fiber.Config{
		AppName:                 "harbor branch",
		ErrorHandler:            con.ErrorHandler,
		BodyLimit:               branch.MaxReportBody,
		ReadBufferSize:          16 << 10, // request line and headers; larger is refused (413)
		Concurrency:             MaxBranchConns,
		ReadTimeout:             web.HeaderTimeout, // then 30 s for the body (web.AllowBodyTime)
		WriteTimeout:            60 * time.Second,
		IdleTimeout:             90 * time.Second,
		EnableTrustedProxyCheck: true, // X-Forwarded-Proto; no ProxyHeader: Fiber's is the leftmost address (ClientIP)
		TrustedProxies:          cfg.TrustedProxies,
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
	})
	web.AllowBodyTime(app, 30*time.Second)
	metrics := web.NewMetrics("branch")
	app.Use(recover.New(), requestid.New(), web.ClientIP(cfg.ProxyHeader, cfg.TrustedProxies), web.AccessLog(),
		metrics.Observe, web.IdentityBodies, web.SecurityHeaders(pages.DirectoryCSSHash),
		compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	branchAPI := &api.Branch{Svc: svc, Metrics: metrics}
	dir := &kiosk.Directory{Svc: svc, Pages: pages}

	app.Get("/healthz", branchAPI.Health)
	app.Get("/metrics", metrics.Handler())
	app.Post("/api/v1/enroll", web.RateLimit(EnrollRatePerMin), branchAPI.Enroll)
	app.Post("/api/v1/reports", branchAPI.Report)
	app.Post("/api/v1/gateway-credential", branchAPI.GatewayCredential)

	app.Get("/", func(c *fiber.Ctx) error { return c.Redirect("/console/overview", fiber.StatusSeeOther) })
	app.Get("/static/:file", con.Static)
	app.Get("/directory", web.RateLimit(DirectoryRatePerMin), dir.Page)
	app.Get("/api/v1/directory", web.RateLimit(DirectoryRatePerMin), dir.API)

	consoleRoutes(app, con)
	return app
}

// consoleRoutes lists the branch console (issue 5) and the JSON API behind
// it. Every /console route runs Session first (session, CSRF); Require
// checks login and role. The API takes a session or an admin-made token.
// A page asked for what it cannot show shows its default (web.OrDefault).
func consoleRoutes(app *fiber.App, con *console.Handler) {
	g := con.Gate
	anyone := g.Require(models.RoleAdmin, models.RoleViewer)
	admin := g.Require(models.RoleAdmin)

	app.Get("/api/v1/overview", g.APIAuth, con.OverviewAPI)
	app.Get("/api/v1/outlets", g.APIAuth, con.OutletsAPI)
	app.Get("/api/v1/outlets/:code", g.APIAuth, con.OutletAPI)
	app.Get("/api/v1/outlets/:code/days/:day", g.APIAuth, con.OutletDayAPI)
	app.Get("/api/v1/compare", g.APIAuth, con.CompareAPI)
	app.Get("/api/v1/activities", g.APIAuth, con.ActivitiesAPI)
	app.Get("/api/v1/assessment", g.APIAuth, con.AssessmentAPI)
	app.Get("/api/v1/bulletin", g.APIAuth, con.BulletinAPI)

	s := app.Group("/console", g.Session)
	s.Get("", func(c *fiber.Ctx) error { return c.Redirect("/console/overview", fiber.StatusSeeOther) })
	g.Routes(s, web.RateLimit(LoginRatePerMin))

	s.Get("/overview", anyone, web.OrDefault(con.Overview))
	s.Get("/outlets/:code", anyone, web.OrDefault(con.Outlet))
	s.Get("/outlets/:code/days/:day", anyone, web.OrDefault(con.OutletDay))
	s.Get("/compare", anyone, web.OrDefault(con.Compare))
	s.Get("/activities", anyone, web.OrDefault(con.Activities))
	s.Get("/reports", anyone, web.OrDefault(con.Reports))
	s.Get("/reports.xlsx", anyone, con.ReportXLSX)
	s.Get("/reports.csv", anyone, con.ReportCSV)
	s.Get("/bulletin", anyone, web.OrDefault(con.Bulletin))
	s.Get("/bulletin.xlsx", anyone, con.BulletinXLSX)
	s.Post("/bulletin/publish", admin, con.PublishBulletin)
	s.Post("/bulletin/withdraw", admin, con.WithdrawBulletin)
	s.Get("/scheme", anyone, con.Scheme)
	s.Post("/scheme", admin, con.SaveScheme)

	con.Accounts().Routes(s, admin)
}
