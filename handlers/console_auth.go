package handlers

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/models"
)

// Gate is a console's logins, sessions, CSRF checks and roles. The outlet
// staff console (/staff) and the branch console (/console) each have one,
// over their own accounts (app/auth) and paths.
type Gate struct {
	Auth   *auth.Store
	Cookie string // the session cookie: HttpOnly, SameSite=Lax, Secure over TLS
	Base   string // the console's path prefix, e.g. "/staff"
	Home   string // where a login lands unless the form names a page
	Denied string // the message when a role may not do something
	// RenderLogin shows the login form with a problem or a notice.
	RenderLogin func(c *fiber.Ctx, status int, v loginView, problem, notice string) error
}

const (
	localSession = "console.session"
	localExpired = "console.expired"
)

// errCSRF is the answer to a state-changing request without the session's token.
var errCSRF = models.Errorf(models.EFORBIDDEN, "页面已过期或来源不明：请刷新页面后重试 / "+
	"this form expired or did not come from the console: reload the page and try again")

// sessionOf returns the session Session loaded for this request.
func sessionOf(c *fiber.Ctx) (auth.Session, bool) {
	s, ok := c.Locals(localSession).(auth.Session)
	return s, ok
}

// isPath tells the console's pages from the rest.
func (g *Gate) isPath(path string) bool { return path == g.Base || strings.HasPrefix(path, g.Base+"/") }

// Session loads the browser's session, if any, and checks the CSRF token
// of every state-changing request against it: the one place CSRF is
// checked. A page refreshing itself (?auto=1) does not count as use, so
// an unattended screen still logs out after the idle timeout.
func (g *Gate) Session(c *fiber.Ctx) error {
	token := c.Cookies(g.Cookie)
	sess, err := g.Auth.Session(c.UserContext(), token, c.Query("auto") != "1")
	switch {
	case err == nil:
		sess.Token = token
		c.Locals(localSession, sess)
	case errors.Is(err, auth.ErrExpired):
		c.Locals(localExpired, true)
	case !errors.Is(err, auth.ErrNoSession):
		return err
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if err != nil || !sess.CheckCSRF(csrfToken(c)) {
		return errCSRF
	}
	return c.Next()
}

// csrfToken is the token a form (_csrf) or a script (X-CSRF-Token) sent.
func csrfToken(c *fiber.Ctx) string {
	if v := c.Get("X-CSRF-Token"); v != "" {
		return v
	}
	return c.FormValue("_csrf")
}

// Require lets through logged-in accounts with one of roles. Others are
// sent to the login page (GET) or refused.
func (g *Gate) Require(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, _ := sessionOf(c)
		if sess.User == nil {
			if c.Method() == fiber.MethodGet && g.isPath(c.Path()) {
				q := url.Values{"next": {c.Path()}}
				if c.Locals(localExpired) != nil {
					q.Set("expired", "1")
				}
				return c.Redirect(g.Base+"/login?"+q.Encode(), fiber.StatusSeeOther)
			}
			return auth.ErrNoSession
		}
		if !slices.Contains(roles, sess.User.Role) {
			return models.Errorf(models.EFORBIDDEN, "%s", g.Denied)
		}
		return c.Next()
	}
}

// safeNext keeps a post-login redirect inside the console.
func (g *Gate) safeNext(next string) string {
	if !g.isPath(next) || strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "//") || next == g.Base+"/login" {
		return g.Home
	}
	return next
}

type loginView struct{ Name, Next string }

// LoginForm shows the login form, starting a pre-login session that holds
// its CSRF token.
func (g *Gate) LoginForm(c *fiber.Ctx) error {
	sess, ok := sessionOf(c)
	if ok && sess.LoggedIn() {
		return c.Redirect(g.Home, fiber.StatusSeeOther)
	}
	if !ok {
		var err error
		if sess, err = g.Auth.StartAnonymous(c.UserContext()); err != nil {
			return err
		}
		g.setCookie(c, sess.Token)
		c.Locals(localSession, sess)
	}
	var problem, notice string
	if c.Query("expired") != "" {
		problem = auth.ErrExpired.Message
	}
	if c.Query("bye") != "" {
		notice = "已退出 Logged out"
	}
	return g.RenderLogin(c, fiber.StatusOK, loginView{Next: g.safeNext(c.Query("next"))}, problem, notice)
}

// Login checks the credentials and starts a session with a new id.
func (g *Gate) Login(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	name := strings.TrimSpace(c.FormValue("name"))
	next := g.safeNext(c.FormValue("next"))
	u, err := g.Auth.Login(c.UserContext(), name, c.FormValue("password"), c.IP())
	if err != nil {
		var e *models.Error
		if !errors.As(err, &e) {
			return err
		}
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
		}
		return g.RenderLogin(c, statusOf(e.Code), loginView{Name: name, Next: next}, e.Message, "")
	}
	fresh, err := g.Auth.StartSession(c.UserContext(), u, sess.Token)
	if err != nil {
		return err
	}
	g.setCookie(c, fresh.Token)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// Logout ends the session.
func (g *Gate) Logout(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	if err := g.Auth.EndSession(c.UserContext(), sess.Token); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: g.Cookie, Value: "", Path: "/", Expires: time.Unix(1, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure(c)})
	return c.Redirect(g.Base+"/login?bye=1", fiber.StatusSeeOther)
}

func (g *Gate) setCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: g.Cookie, Value: token, Path: "/",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure(c)})
}

// secure reports whether the browser reached us over TLS: directly, or
// through a trusted reverse proxy saying so (Fiber checks --trusted-proxies).
func secure(c *fiber.Ctx) bool { return c.Protocol() == "https" }

// APIAuth lets through a request with a valid API token (Authorization:
// Bearer hbt_...) or a logged-in session of any role.
func (g *Gate) APIAuth(c *fiber.Ctx) error {
	if bearer, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer "); ok {
		if _, err := g.Auth.CheckAPIToken(c.UserContext(), strings.TrimSpace(bearer)); err != nil {
			return err
		}
		return c.Next()
	}
	sess, err := g.Auth.Session(c.UserContext(), c.Cookies(g.Cookie), true)
	if err != nil {
		return err
	}
	if !sess.LoggedIn() {
		return auth.ErrNoSession
	}
	return c.Next()
}
