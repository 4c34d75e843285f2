package kiosk

import (
	"crypto/subtle"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Lobby serves the outlet's own pages besides the stations': the bare
// address, and the lobby display's rotating code.
type Lobby struct {
	Svc   *outlet.Service
	Kiosk *Handler
}

// Home is what someone who opens the bare address sees.
func (l *Lobby) Home(c *fiber.Ctx) error {
	p := l.Kiosk.page(c, l.Svc.Profile(), "")
	p.Message = p.T["display_scan"]
	return l.Kiosk.render(c, fiber.StatusOK, "home.html", p)
}

// Display is the lobby screen's rotating QR. It is unlocked once with
// /display?key=KEY (printed at start-up), which sets a cookie. Its code
// points at the public gateway when there is one, so that phones off the
// Wi-Fi can scan it too.
func (l *Lobby) Display(c *fiber.Ctx) error {
	want, err := l.Svc.DisplayKey(c.UserContext())
	if err != nil {
		return err
	}
	path := l.Kiosk.Prefix + "/display"
	if key := c.Query("key"); key != "" {
		if subtle.ConstantTimeCompare([]byte(key), []byte(want)) != 1 {
			return models.Errorf(models.EUNAUTHORIZED, "wrong display key")
		}
		c.Cookie(&fiber.Cookie{Name: displayCookie, Value: want, Path: path, MaxAge: 365 * 24 * 3600,
			HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
		return c.Redirect(path, fiber.StatusSeeOther)
	}
	if subtle.ConstantTimeCompare([]byte(c.Cookies(displayCookie)), []byte(want)) != 1 {
		return models.Errorf(models.EUNAUTHORIZED, "this screen is not unlocked: open the display address with its key")
	}
	prof := l.Svc.Profile()
	qr, err := kioskweb.QRSVG(l.Svc.StationURL("", l.Svc.LiveToken()))
	if err != nil {
		return err
	}
	today, err := l.Svc.TodayTotals(c.UserContext())
	if err != nil {
		return err
	}
	p := l.Kiosk.page(c, prof, prof.Name)
	p.QR, p.Today, p.Refresh = qr, today.CheckIns, DisplayRefresh
	p.Display = &displayFiles{CSS: l.Kiosk.Pages.StaticURL("display.css"), Script: l.Kiosk.Pages.StaticURL("display.js")}
	return l.Kiosk.render(c, fiber.StatusOK, "display.html", p)
}

// displayFiles are the lobby display's own stylesheet and script.
type displayFiles struct{ CSS, Script string }

// DisplayRefresh is how often the lobby display fetches a new code, in
// seconds: three times per live window, so a scan always finds a code
// that is still accepted.
const DisplayRefresh = int(outlet.LiveWindow / time.Second / 3)
