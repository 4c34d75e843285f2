package web

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// ErrorHandler is the one place errors become answers: JSON for API
// clients, the console's error page for staff (staff, on the outlet), and
// for workers a friendly page in their language or their form again
// (worker: kiosk.Handler.ErrorPage). prefix is the routes' prefix.
func ErrorHandler(prefix string, worker, staff func(*fiber.Ctx, *models.Error) error) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		e := AsError(c, err)
		if e.Code == models.EINTERNAL {
			LogInternal(c, err)
		}
		path := strings.TrimPrefix(c.Path(), prefix)
		if WantsJSON(c, path) {
			return JSONError(c, e)
		}
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
		}
		if staff != nil && isStaffPath(path) {
			return staff(c, e)
		}
		return worker(c, e)
	}
}

// isStaffPath tells the staff console's pages from the kiosk's.
func isStaffPath(path string) bool { return path == "/staff" || strings.HasPrefix(path, "/staff/") }

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

// Access log bounds: what one client can make the log hold.
const (
	// maxLoggedBytes clips every logged value (a path may be 16 KB).
	maxLoggedBytes = 256
	// Logged4xxPerMin is how many 4xx answers to one client address are
	// logged a minute; past it one line says the rest are left out.
	Logged4xxPerMin = 20
)

// AccessLog returns the handler that logs one structured line per request.
// The query string is left out (it carries QR tokens), every value is
// clipped to 256 bytes, and 4xx answers are logged for each client at
// most Logged4xxPerMin a minute, so that one client flooding bad requests
// cannot fill the disk (a 15 KB path used to make a 15 KB line).
func AccessLog() fiber.Handler {
	noisy := newIPLimiter(Logged4xxPerMin)
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			status = StatusOf(AsError(c, err).Code)
		}
		level, msg := slog.LevelInfo, "request"
		if status >= 400 && status < 500 {
			switch n, reset := noisy.hit(ClientAddr(c), start); {
			case n == Logged4xxPerMin+1:
				level, msg = slog.LevelWarn, fmt.Sprintf("more than %d client errors a minute from one address: "+
					"its 4xx answers are not logged until %s", Logged4xxPerMin, reset.UTC().Format(time.TimeOnly+" UTC"))
			case n > Logged4xxPerMin:
				return err
			}
		}
		slog.LogAttrs(c.UserContext(), level, msg, slog.String("method", clip(c.Method(), 16)),
			slog.String("path", clip(c.Path(), maxLoggedBytes)), slog.Int("status", status),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("request_id", clip(requestID(c), 64)))
		return err
	}
}

// LogInternal logs an error the client is only told is internal.
func LogInternal(c *fiber.Ctx, err error) {
	slog.Error("internal error", "err", err, "method", clip(c.Method(), 16), "path", clip(c.Path(), maxLoggedBytes),
		"request_id", clip(requestID(c), 64))
}

// clip cuts s to n bytes for the log, saying so.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…[" + strconv.Itoa(len(s)) + " bytes]"
}
