package web

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
	Root   string // the routes' prefix ("" at the root): the session cookie's path is Root + "/"
	Base   string // the console's path prefix, e.g. "/staff"
	Home   string // where a login lands unless the form names a page
	Denied string // the message when a role may not do something
	// RenderForm shows one of the gate's pages (login.html, password.html)
	// with its data and a problem or a notice.
	RenderForm func(c *fiber.Ctx, status int, page, title string, v any, problem, notice string) error
}

// Routes lists the gate's own pages under r: login, logout, and changing
// one's own password. limit guards the forms that check a password.
func (g *Gate) Routes(r fiber.Router, limit fiber.Handler) {
	r.Get("/login", g.LoginForm)
	r.Post("/login", limit, g.Login)
	r.Post("/logout", g.Logout)
	loggedIn := g.Require(g.Auth.Roles()...)
	r.Get("/password", loggedIn, g.PasswordForm)
	r.Post("/password", limit, loggedIn, g.ChangePassword)
}

const (
	localSession = "console.session"
	localExpired = "console.expired"
)

// errCSRF is the answer to a state-changing request without the session's token.
var errCSRF = models.Errorf(models.EFORBIDDEN, "页面已过期或来源不明：请刷新页面后重试 / "+
	"this form expired or did not come from the console: reload the page and try again")

// SessionOf returns the session Gate.Session loaded for this request.
func SessionOf(c *fiber.Ctx) (auth.Session, bool) {
	s, ok := c.Locals(localSession).(auth.Session)
	return s, ok
}

// IsPath tells the console's pages from the rest.
func (g *Gate) IsPath(path string) bool { return path == g.Base || strings.HasPrefix(path, g.Base+"/") }

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
	if err == nil && sess.CheckCSRF(csrfToken(c)) {
		return c.Next()
	}
	// A login form carries a stateless token (no session before login).
	if c.Path() == g.Base+"/login" && g.Auth.CheckLoginToken(c.Cookies(g.loginCookie()), csrfToken(c)) {
		return c.Next()
	}
	return errCSRF
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
		sess, _ := SessionOf(c)
		if sess.User == nil {
			if c.Method() == fiber.MethodGet && g.IsPath(c.Path()) {
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
	if !g.IsPath(next) || strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "//") || next == g.Base+"/login" {
		return g.Home
	}
	return next
}

type loginView struct{ Name, Next string }

// LoginForm shows the login form. Nothing is stored: its CSRF token is a
// signed LoginToken bound to the browser's login cookie (loginForm).
func (g *Gate) LoginForm(c *fiber.Ctx) error {
	if sess, ok := SessionOf(c); ok && sess.LoggedIn() {
		return c.Redirect(g.Home, fiber.StatusSeeOther)
	}
	g.loginForm(c)
	var problem, notice string
	if c.Query("expired") != "" {
		problem = auth.ErrExpired.Message
	}
	if c.Query("bye") != "" {
		notice = "已退出 Logged out"
	}
	return g.renderLogin(c, fiber.StatusOK, loginView{Next: g.safeNext(c.Query("next"))}, problem, notice)
}

// Login checks the credentials and starts a session with a new id.
func (g *Gate) Login(c *fiber.Ctx) error {
	sess, _ := SessionOf(c)
	name := strings.TrimSpace(c.FormValue("name"))
	next := g.safeNext(c.FormValue("next"))
	u, err := g.Auth.Login(c.UserContext(), name, c.FormValue("password"), ClientAddr(c))
	if err != nil {
		var e *models.Error
		if !errors.As(err, &e) {
			return err
		}
		g.loginForm(c)
		return g.renderLogin(c, formStatus(c, e), loginView{Name: name, Next: next}, e.Message, "")
	}
	fresh, err := g.Auth.StartSession(c.UserContext(), u, sess.Token)
	if err != nil {
		return err
	}
	g.setCookie(c, fresh.Token)
	c.Cookie(&fiber.Cookie{Name: g.loginCookie(), Value: "", Path: g.Base + "/login", Expires: time.Unix(1, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure(c)})
	return c.Redirect(next, fiber.StatusSeeOther)
}

// loginCookie holds a browser's login nonce, sent only to the login form.
func (g *Gate) loginCookie() string { return g.Cookie + "_login" }

// loginForm gives the login form about to be shown its CSRF token: a
// LoginToken for the browser's login nonce, which it sets first if the
// browser has none.
func (g *Gate) loginForm(c *fiber.Ctx) {
	nonce := c.Cookies(g.loginCookie())
	if nonce == "" || len(nonce) > 100 {
		nonce = auth.NewLoginNonce()
		c.Cookie(&fiber.Cookie{Name: g.loginCookie(), Value: nonce, Path: g.Base + "/login",
			HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure(c)})
	}
	c.Locals(localSession, auth.Session{CSRF: g.Auth.LoginToken(nonce)})
}

// Logout ends the session.
func (g *Gate) Logout(c *fiber.Ctx) error {
	sess, _ := SessionOf(c)
	if err := g.Auth.EndSession(c.UserContext(), sess.Token); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: g.Cookie, Value: "", Path: g.Root + "/", Expires: time.Unix(1, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: secure(c)})
	return c.Redirect(g.Base+"/login?bye=1", fiber.StatusSeeOther)
}

func (g *Gate) renderLogin(c *fiber.Ctx, status int, v loginView, problem, notice string) error {
	return g.RenderForm(c, status, "login.html", "登录 Login", v, problem, notice)
}

// formStatus is the status of a form shown again with e's message, with
// Retry-After when e has one.
func formStatus(c *fiber.Ctx, e *models.Error) int {
	if e.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
	}
	return StatusOf(e.Code)
}

type passwordView struct{ Page string }

// PasswordForm lets any logged-in account change its own password.
func (g *Gate) PasswordForm(c *fiber.Ctx) error {
	return g.renderPassword(c, fiber.StatusOK, "", NoticeOf(c.Query("done")))
}

// ChangePassword checks the current password, stores the new one, ends the
// account's other sessions and starts a fresh one for this browser.
func (g *Gate) ChangePassword(c *fiber.Ctx) error {
	sess, _ := SessionOf(c)
	next := c.FormValue("new")
	if next != c.FormValue("repeat") {
		return g.renderPassword(c, fiber.StatusBadRequest, "两次输入的新密码不一致 / the two new passwords differ", "")
	}
	err := g.Auth.ChangePassword(c.UserContext(), sess.User.Name, c.FormValue("current"), next, ClientAddr(c))
	if err != nil {
		var e *models.Error
		if !errors.As(err, &e) {
			return err
		}
		return g.renderPassword(c, formStatus(c, e), e.Message, "")
	}
	fresh, err := g.Auth.StartSession(c.UserContext(), *sess.User, "")
	if err != nil {
		return err
	}
	g.setCookie(c, fresh.Token)
	return RedirectDone(c, g.Base+"/password", "password")
}

func (g *Gate) renderPassword(c *fiber.Ctx, status int, problem, notice string) error {
	return g.RenderForm(c, status, "password.html", "修改密码 Change password", passwordView{Page: g.Base + "/password"}, problem, notice)
}

func (g *Gate) setCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: g.Cookie, Value: token, Path: g.Root + "/",
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
