package handlers

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// ErrorHandler is the one place errors become answers: JSON for API
// clients, the console's error page for staff, a friendly page in the
// worker's language for workers.
func ErrorHandler(pages *kioskweb.Pages, station func() *models.Profile) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		e := asError(c, err)
		if e.Code == models.EINTERNAL {
			slog.Error("internal error", "err", err, "method", c.Method(), "path", c.Path(), "request_id", requestID(c))
		}
		if wantsJSON(c) || pages == nil {
			return JSONError(c, e)
		}
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
		}
		if isStaffPath(c.Path()) {
			return renderStaffError(c, pages, station(), e)
		}
		lang := langOf(c)
		t := kioskweb.Texts(lang)
		p := &kioskPage{T: t, Lang: lang, Title: t["error_title"], Station: station(), Message: friendlyMessage(t, e)}
		c.Set(fiber.HeaderCacheControl, "no-store")
		c.Type("html", "utf-8")
		c.Status(statusOf(e.Code))
		return pages.Render(c, "error.html", p)
	}
}

// friendlyMessage is what a worker reads for an error code.
func friendlyMessage(t kioskweb.Text, e *models.Error) string {
	key := map[string]string{
		models.ERATELIMIT: "rate_limited", models.ETOKEN: "bad_token", models.EREPLACED: "replaced",
		models.EEXPIRED: "expired", models.ENOTFOUND: "not_found", models.EINVALID: "invalid",
		models.EINTERNAL: "internal", models.EUNAVAILABLE: "internal",
	}[e.Code]
	if key == "" {
		return e.Message
	}
	return t[key]
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
