package handlers

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// ErrorHandler is the one place errors become answers: JSON for API
// clients, the console's error page for staff, and for workers a friendly
// page in their language or their form again (Kiosk.workerError).
func ErrorHandler(k *Kiosk) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		e := asError(c, err)
		if e.Code == models.EINTERNAL {
			slog.Error("internal error", "err", err, "method", c.Method(), "path", c.Path(), "request_id", requestID(c))
		}
		if wantsJSON(c) {
			return JSONError(c, e)
		}
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
		}
		if isStaffPath(c.Path()) {
			return renderStaffError(c, k.Pages, k.Svc.Profile(), e)
		}
		return k.workerError(c, e)
	}
}

// SecurityHeaders sets a strict Content-Security-Policy that the pages
// satisfy (inline styles only by hash, no inline script) and friends.
func SecurityHeaders(styleHash string) fiber.Handler {
	csp := "default-src 'none'; style-src 'self' " + styleHash + "; img-src 'self' data:; script-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	return func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentSecurityPolicy, csp)
		c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
		c.Set(fiber.HeaderXFrameOptions, "DENY")
		c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
		if c.Protocol() == "https" {
			c.Set(fiber.HeaderStrictTransportSecurity, "max-age=31536000")
		}
		return c.Next()
	}
}

// AccessLog logs one structured line per request. The query string is left
// out: it carries QR tokens.
func AccessLog(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		status = statusOf(asError(c, err).Code)
	}
	slog.LogAttrs(c.UserContext(), slog.LevelInfo, "request", slog.String("method", c.Method()), slog.String("path", c.Path()),
		slog.Int("status", status), slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("request_id", requestID(c)))
	return err
}
