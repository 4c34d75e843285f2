// Package staff serves the outlet's staff console (/staff): today's
// figures and history with their exports, assisted check-ins, the
// feedback inbox, education activities, and for managers the amenities,
// posters, corrections, accounts and the self-check; and the stats API.
package staff

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/app/outlet"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Handler serves the outlet staff console (/staff/...), its static files
// and the stats API.
type Handler struct {
	Svc   *outlet.Service
	Auth  *auth.Store
	Gate  *web.Gate // logins, sessions, CSRF and roles of /staff
	Pages *kioskweb.Pages
	// Metrics counts assisted check-ins.
	Metrics *web.Metrics
	// Prefix is the path every route lives under (config.PathPrefix).
	Prefix string
}

// path is p ("/staff/today") under the routes' prefix.
func (st *Handler) path(p string) string { return st.Prefix + p }

// staffPage is what every staff console template receives.
type staffPage struct {
	Title    string
	User     *auth.User
	RoleName string
	CSRF     string
	Station  *models.Profile
	Menu     []web.MenuItem
	Notice   string
	Problem  string
	Alerts   []string   // shown on every page while they hold (outlet.Service.Alerts)
	Form     url.Values // what a failed form post sent, to fill the form again (see web.Retype)
	Refresh  int        // seconds between the page's reloads by staff.js; 0: none
	Data     any
}

var roleNames = map[string]string{models.RoleManager: "负责人 manager", models.RoleStaff: "员工 staff"}

// menu lists the pages a role may open, under prefix; managers see four
// more.
func menu(prefix, role, current string) []web.MenuItem {
	items := []web.MenuItem{
		{URL: "/staff/today", Icon: "chart", Label: "今日 Today"},
		{URL: "/staff/history", Icon: "calendar", Label: "历史 History"},
		{URL: "/staff/assisted", Icon: "staff", Label: "代登记 Assisted"},
		{URL: "/staff/feedback", Icon: "inbox", Label: "意见 Feedback"},
		{URL: "/staff/activities", Icon: "activity", Label: "宣教 Activities"},
	}
	if role == models.RoleManager {
		items = append(items,
			web.MenuItem{URL: "/staff/amenities", Icon: "list", Label: "服务项目 Amenities"},
			web.MenuItem{URL: "/staff/posters", Icon: "printer", Label: "海报 Posters"},
			web.MenuItem{URL: "/staff/corrections", Icon: "check", Label: "更正 Corrections"},
			web.MenuItem{URL: "/staff/accounts", Icon: "settings", Label: "账号 Accounts"})
	}
	for i := range items {
		items[i].URL = prefix + items[i].URL
		items[i].Current = strings.HasPrefix(current, items[i].URL)
	}
	return items
}

// page starts a page for the current request's session.
func (st *Handler) page(c *fiber.Ctx, title string, data any) *staffPage {
	p := &staffPage{Title: title, Station: st.Svc.Profile(), Data: data, Notice: web.NoticeOf(c.Query("done"))}
	if sess, ok := web.SessionOf(c); ok {
		p.CSRF = sess.CSRF
		if sess.User != nil {
			p.User, p.RoleName = sess.User, roleNames[sess.User.Role]
			p.Menu = menu(st.Prefix, sess.User.Role, c.Path())
			p.Alerts = st.alerts(c)
		}
	}
	if t := web.TypedOf(c); t != nil {
		p.Notice, p.Problem, p.Form = "", t.Problem.Message, t.Form
	}
	return p
}

// alerts are the warnings of every logged-in page; a failure to read them
// is logged, not shown in their place.
func (st *Handler) alerts(c *fiber.Ctx) []string {
	a, err := st.Svc.Alerts(c.UserContext())
	if err != nil {
		slog.Error("staff alerts", "err", err)
	}
	return a
}

// render writes a staff page; they are never cached. A page shown again
// for a problem with its input answers the problem's status.
func (st *Handler) render(c *fiber.Ctx, status int, name string, p *staffPage) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(web.TypedOf(c).Status(status))
	return st.Pages.RenderStaff(c, name, p)
}

// ErrorPage is the error page of the console, for web.ErrorHandler.
func (st *Handler) ErrorPage(c *fiber.Ctx, e *models.Error) error {
	p := &staffPage{Title: "出错了 Something went wrong", Station: st.Svc.Profile(), Problem: e.Message}
	if sess, ok := web.SessionOf(c); ok && sess.User != nil {
		p.User, p.CSRF, p.RoleName = sess.User, sess.CSRF, roleNames[sess.User.Role]
		p.Menu = menu(st.Prefix, sess.User.Role, c.Path())
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(web.StatusOf(e.Code))
	return st.Pages.RenderStaff(c, "error.html", p)
}

// Static serves the fingerprinted staff stylesheet and script.
func (st *Handler) Static(c *fiber.Ctx) error {
	body, ctype, ok := st.Pages.Static(c.Params("file"))
	if !ok {
		return models.Errorf(models.ENOTFOUND, "没有这个文件 / no such file")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, ctype)
	return c.Send(body)
}

// localTime formats a unix-millisecond instant in the outlet's zone.
func (st *Handler) localTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(st.Svc.Location()).Format("2006-01-02 15:04")
}
