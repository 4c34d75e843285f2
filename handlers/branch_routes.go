package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"harbor/app/branch"
	"harbor/config"
)

// EnrollRatePerMin bounds enrollment attempts per client IP per minute.
// Codes carry 160 random bits, so this only keeps noise out of the logs.
const EnrollRatePerMin = 20

// NewBranchApp builds the branch's Fiber app. Every route of the branch role
// is listed here.
func NewBranchApp(cfg config.Branch, svc *branch.Service) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "harbor branch",
		ErrorHandler:          ErrorHandler(nil, nil),
		BodyLimit:             branch.MaxReportBody,
		ReadBufferSize:        16 << 10,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           90 * time.Second,
		ProxyHeader:           cfg.ProxyHeader,
		DisableStartupMessage: true,
	})
	app.Use(recover.New(), requestid.New(), AccessLog, SecurityHeaders(""))

	api := &BranchAPI{Svc: svc}

	app.Get("/healthz", api.Health)
	app.Post("/api/v1/enroll", RateLimit(EnrollRatePerMin), api.Enroll)
	app.Post("/api/v1/reports", api.Report)
	return app
}
