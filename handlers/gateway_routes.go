package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"harbor/app/gateway"
	"harbor/app/pull"
	"harbor/config"
	"harbor/handlers/api"
	"harbor/handlers/kiosk"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// GatewayApps are the public gateway's three listeners' apps
// (docs/GATEWAY.md): Public for phones, Pulls for outlets, Admin for
// health and metrics on loopback.
type GatewayApps struct {
	Public, Pulls, Admin *fiber.App
}

// NewGatewayApps builds the gateway's apps. Every route of the gateway
// role is listed here. The public listener serves only the worker pages
// of the outlets' stations, their check-ins and feedback, and the
// directory: no console, no metrics, no pulls.
func NewGatewayApps(cfg config.Gateway, svc *gateway.Service, pages *kioskweb.Pages) GatewayApps {
	metrics := web.NewMetrics("gateway")
	prefix := config.PathPrefix(cfg.BaseURL)
	pages.SetPrefix(prefix)
	k := &kiosk.Handler{Stations: kiosk.GatewayStations(svc), Pages: pages, Metrics: metrics, Prefix: prefix}
	public := fiber.New(fiber.Config{
		AppName:                 "harbor gateway",
		ErrorHandler:            web.ErrorHandler(prefix, k.ErrorPage, nil),
		BodyLimit:               MaxOutletBody,
		ReadBufferSize:          16 << 10,
		Concurrency:             MaxBranchConns,
		ReadTimeout:             web.HeaderTimeout, // then 15 s for the body (web.AllowBodyTime)
		WriteTimeout:            15 * time.Second,
		IdleTimeout:             60 * time.Second,
		EnableTrustedProxyCheck: true, // X-Forwarded-Proto; the client IP through ClientIP
		TrustedProxies:          cfg.TrustedProxies,
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
	})
	web.AllowBodyTime(public, 15*time.Second)
	public.Use(recover.New(), requestid.New(), web.ClientIP(cfg.ProxyHeader, cfg.TrustedProxies), web.AccessLog(),
		metrics.Observe, web.IdentityBodies, web.SecurityHeaders(pages.KioskCSSHash+" "+pages.DirectoryCSSHash),
		compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	r := routesUnder(public, prefix)
	dir := &kiosk.Directory{Svc: svc, Pages: pages, Prefix: prefix}
	limit := web.RateLimit(cfg.RatePerMin)
	r.Get("/", func(c *fiber.Ctx) error { return c.Redirect(prefix+"/directory", fiber.StatusSeeOther) })
	workerRoutes(r, k, limit)
	r.Post("/api/v1/checkins", limit, k.CheckIn)
	r.Get("/directory", web.RateLimit(DirectoryRatePerMin), dir.Page)
	r.Get("/api/v1/directory", web.RateLimit(DirectoryRatePerMin), dir.API)
	r.Get("/static/:file", directoryScript(pages))

	pulls := &api.Pulls{Svc: svc}
	metrics.Gauges(func(ctx context.Context) []float64 {
		outlets, _ := svc.Outlets(ctx)
		pending := 0.0
		for _, o := range outlets {
			pending += float64(o.Pending)
		}
		return []float64{float64(len(outlets)), pending}
	}, web.Gauge{Name: "harbor_gateway_outlets", Help: "Outlets that have pulled."},
		web.Gauge{Name: "harbor_gateway_pending_items", Help: "Inbox items not yet acknowledged by their outlet."})
	return GatewayApps{Public: public, Pulls: pullApp(cfg, pulls, metrics), Admin: adminApp(svc, metrics)}
}

// directoryScript serves the directory's "nearest first" script, the one
// static file of the public listener.
func directoryScript(pages *kioskweb.Pages) fiber.Handler {
	return func(c *fiber.Ctx) error {
		body, ctype, ok := pages.Static(c.Params("file"))
		if !ok || !strings.HasPrefix(c.Params("file"), "directory.") {
			return models.Errorf(models.ENOTFOUND, "没有这个文件 / no such file")
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		c.Set(fiber.HeaderContentType, ctype)
		return c.Send(body)
	}
}

// pullApp is the outlets' listener: signed pulls only, answered in JSON.
// A pull is held up to pull.MaxWait, so its write timeout is longer.
func pullApp(cfg config.Gateway, pulls *api.Pulls, metrics *web.Metrics) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:                 "harbor gateway pulls",
		ErrorHandler:            jsonErrors,
		BodyLimit:               pull.MaxBody,
		ReadBufferSize:          16 << 10,
		Concurrency:             MaxBranchConns,
		ReadTimeout:             web.HeaderTimeout,
		WriteTimeout:            pull.MaxWait + 30*time.Second,
		IdleTimeout:             90 * time.Second,
		EnableTrustedProxyCheck: true,
		TrustedProxies:          cfg.TrustedProxies,
		EnableIPValidation:      true,
		DisableStartupMessage:   true,
	})
	web.AllowBodyTime(app, 30*time.Second)
	app.Use(recover.New(), requestid.New(), web.ClientIP(cfg.ProxyHeader, cfg.TrustedProxies), web.AccessLog(),
		metrics.Observe, web.IdentityBodies)
	app.Post(pull.Path, pulls.Pull)
	return app
}

// adminApp is the health check and the metrics, for loopback.
func adminApp(svc *gateway.Service, metrics *web.Metrics) *fiber.App {
	app := fiber.New(fiber.Config{AppName: "harbor gateway admin", ErrorHandler: jsonErrors,
		ReadTimeout: web.HeaderTimeout, WriteTimeout: 15 * time.Second, DisableStartupMessage: true})
	app.Use(recover.New())
	app.Get("/healthz", func(c *fiber.Ctx) error {
		if err := svc.Ping(c.UserContext()); err != nil {
			return models.Errorf(models.EUNAVAILABLE, "database not answering")
		}
		outlets, err := svc.Outlets(c.UserContext())
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"status": "ok", "role": "gateway", "gateway": svc.ID(),
			"time": svc.Now().UTC().Format(time.RFC3339), "outlets": outlets})
	})
	app.Get("/metrics", metrics.Handler())
	return app
}

// jsonErrors answers every error as JSON, the one shape.
func jsonErrors(c *fiber.Ctx, err error) error {
	e := web.AsError(c, err)
	if e.Code == models.EINTERNAL {
		web.LogInternal(c, err)
	}
	return web.JSONError(c, e)
}
