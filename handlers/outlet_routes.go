package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"harbor/app/outlet"
	"harbor/config"
	kioskweb "harbor/kiosk-web"
)

// MaxOutletBody bounds any request body the outlet accepts.
const MaxOutletBody = 64 << 10

// NewOutletApp builds the outlet's Fiber app. Every route of the outlet role
// is listed here.
func NewOutletApp(cfg config.Outlet, svc *outlet.Service, pages *kioskweb.Pages) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "harbor outlet",
		ErrorHandler:          ErrorHandler(pages, svc.Profile),
		BodyLimit:             MaxOutletBody,
		ReadBufferSize:        16 << 10,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          15 * time.Second,
		IdleTimeout:           60 * time.Second,
		ProxyHeader:           cfg.ProxyHeader,
		DisableStartupMessage: true,
	})
	app.Use(recover.New(), requestid.New(), AccessLog, SecurityHeaders(pages.KioskCSSHash),
		compress.New(compress.Config{Level: compress.LevelBestSpeed}))

	kiosk := &Kiosk{Svc: svc, Pages: pages}
	api := &OutletAPI{Svc: svc}
	limit := RateLimit(cfg.RatePerMin)

	app.Get("/healthz", api.Health)
	app.Get("/api/v1/outlet", api.Profile)
	app.Post("/api/v1/checkins", limit, api.CheckIn)

	app.Get("/", kiosk.Home)
	app.Get("/display", kiosk.Display)
	app.Get("/k/:outlet", kiosk.Station)
	app.Post("/k/:outlet", limit, kiosk.Submit)
	app.Get("/k/:outlet/done", kiosk.Done)
	app.Get("/k/:outlet/:amenity", kiosk.Amenity)
	app.Post("/k/:outlet/:amenity", limit, kiosk.Submit)
	return app
}
