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

// sessionCookie carries the staff session id: HttpOnly, SameSite=Lax,
// Secure over TLS. The server keeps the session; the cookie has no expiry
// of its own.
const sessionCookie = "hs"

const (
	localSession = "staff.session"
	localExpired = "staff.expired"
)

// errCSRF is the answer to a state-changing request without the session's token.
var errCSRF = models.Errorf(models.EFORBIDDEN, "页面已过期或来源不明：请刷新页面后重试 / "+
	"this form expired or did not come from the console: reload the page and try again")

// sessionOf returns the session Session loaded for this request.
func sessionOf(c *fiber.Ctx) (auth.Session, bool) {
	s, ok := c.Locals(localSession).(auth.Session)
	return s, ok
}

// Session loads the browser's session, if any, and checks the CSRF token
// of every state-changing request against it: the one place CSRF is
// checked. A page refreshing itself (?auto=1) does not count as use, so
// an unattended screen still logs out after the idle timeout.
func (st *Staff) Session(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	sess, err := st.Auth.Session(c.UserContext(), token, c.Query("auto") != "1")
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
func (st *Staff) Require(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		sess, _ := sessionOf(c)
		if sess.User == nil {
			if c.Method() == fiber.MethodGet && isStaffPath(c.Path()) {
				q := url.Values{"next": {c.Path()}}
				if c.Locals(localExpired) != nil {
					q.Set("expired", "1")
				}
				return c.Redirect("/staff/login?"+q.Encode(), fiber.StatusSeeOther)
			}
			return auth.ErrNoSession
		}
		if !slices.Contains(roles, sess.User.Role) {
			return models.Errorf(models.EFORBIDDEN, "只有网点负责人可以进行此操作 / only a manager may do this")
		}
		return c.Next()
	}
}

// safeNext keeps a post-login redirect inside the console.
func safeNext(next string) string {
	if !isStaffPath(next) || strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "//") || next == "/staff/login" {
		return "/staff/today"
	}
	return next
}

type loginView struct{ Name, Next string }

// LoginForm shows the login form, starting a pre-login session that holds
// its CSRF token.
func (st *Staff) LoginForm(c *fiber.Ctx) error {
	sess, ok := sessionOf(c)
	if ok && sess.LoggedIn() {
		return c.Redirect("/staff/today", fiber.StatusSeeOther)
	}
	if !ok {
		var err error
		if sess, err = st.Auth.StartAnonymous(c.UserContext()); err != nil {
			return err
		}
		st.setSessionCookie(c, sess.Token)
		c.Locals(localSession, sess)
	}
	p := st.page(c, "登录 Login", loginView{Next: safeNext(c.Query("next"))})
	if c.Query("expired") != "" {
		p.Problem = auth.ErrExpired.Message
	}
	if c.Query("bye") != "" {
		p.Notice = "已退出 Logged out"
	}
	return st.render(c, fiber.StatusOK, "login.html", p)
}

// Login checks the credentials and starts a session with a new id.
func (st *Staff) Login(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	name := strings.TrimSpace(c.FormValue("name"))
	next := safeNext(c.FormValue("next"))
	u, err := st.Auth.Login(c.UserContext(), name, c.FormValue("password"), c.IP())
	if err != nil {
		var e *models.Error
		if !errors.As(err, &e) {
			return err
		}
		p := st.page(c, "登录 Login", loginView{Name: name, Next: next})
		p.Problem = e.Message
		if e.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
		}
		return st.render(c, statusOf(e.Code), "login.html", p)
	}
	fresh, err := st.Auth.StartSession(c.UserContext(), u, sess.Token)
	if err != nil {
		return err
	}
	st.setSessionCookie(c, fresh.Token)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// Logout ends the session.
func (st *Staff) Logout(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	if err := st.Auth.EndSession(c.UserContext(), sess.Token); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", Expires: time.Unix(1, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: st.secure(c)})
	return c.Redirect("/staff/login?bye=1", fiber.StatusSeeOther)
}

func (st *Staff) setSessionCookie(c *fiber.Ctx, token string) {
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: token, Path: "/",
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: st.secure(c)})
}

// secure reports whether the browser reached us over TLS: directly, or
// through a trusted reverse proxy saying so (Fiber checks --trusted-proxies).
func (st *Staff) secure(c *fiber.Ctx) bool {
	return c.Protocol() == "https"
}
