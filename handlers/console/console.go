// Package console serves the branch console (/console): the overview,
// outlet and outlet-day pages, comparisons, activities, assessment
// reports, the bulletin and the scoring scheme, with the JSON API behind
// them, and the accounts page.
package console

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/app/branch"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Handler serves the branch console (/console/...): the overview, outlet
// pages, comparisons, activities, assessment reports and accounts, and the
// JSON API behind them.
type Handler struct {
	Svc   *branch.Service
	Auth  *auth.Store
	Gate  *web.Gate
	Pages *kioskweb.Pages
}

// consoleCookie carries the branch console's session id. It differs from
// the outlet console's, so that both can run on one host.
const consoleCookie = "hb"

// NewGate is the branch console's Gate: viewers and admins, /console.
func NewGate(con *Handler) *web.Gate {
	return &web.Gate{Auth: con.Auth, Cookie: consoleCookie, Base: "/console", Home: "/console/overview",
		Denied:     "只有管理员可以进行此操作 / only an admin may do this",
		RenderForm: con.renderForm}
}

// consolePage is what every branch console template receives.
type consolePage struct {
	Title    string
	User     *auth.User
	RoleName string
	CSRF     string
	Menu     []web.MenuItem
	Notice   string
	Problem  string
	Form     url.Values // what a failed form post sent (see web.Retype)
	Data     any
}

var branchRoleNames = map[string]string{models.RoleAdmin: "管理员 admin", models.RoleViewer: "查看 viewer"}

// consoleMenu lists the pages a role may open; admins see Accounts too.
func consoleMenu(role, current string) []web.MenuItem {
	items := []web.MenuItem{
		{URL: "/console/overview", Icon: "chart", Label: "总览 Overview"},
		{URL: "/console/compare", Icon: "list", Label: "比较 Compare"},
		{URL: "/console/activities", Icon: "activity", Label: "宣教 Activities"},
		{URL: "/console/reports", Icon: "printer", Label: "考核报表 Reports"},
		{URL: "/console/bulletin", Icon: "star", Label: "通报 Bulletin"},
		{URL: "/console/scheme", Icon: "check", Label: "考核方案 Scheme"},
	}
	if role == models.RoleAdmin {
		items = append(items, web.MenuItem{URL: "/console/accounts", Icon: "settings", Label: "账号 Accounts"})
	}
	for i := range items {
		items[i].Current = strings.HasPrefix(current, items[i].URL)
	}
	return items
}

// page starts a page for the current request's session.
func (con *Handler) page(c *fiber.Ctx, title string, data any) *consolePage {
	p := &consolePage{Title: title, Data: data, Notice: web.NoticeOf(c.Query("done"))}
	if sess, ok := web.SessionOf(c); ok {
		p.CSRF = sess.CSRF
		if sess.User != nil {
			p.User, p.RoleName = sess.User, branchRoleNames[sess.User.Role]
			p.Menu = consoleMenu(sess.User.Role, c.Path())
		}
	}
	if t := web.TypedOf(c); t != nil {
		p.Notice, p.Problem, p.Form = "", t.Problem.Message, t.Form
	}
	return p
}

// render writes a console page; they are never cached. A page shown again
// for a problem with its input answers the problem's status.
func (con *Handler) render(c *fiber.Ctx, status int, name string, p *consolePage) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(web.TypedOf(c).Status(status))
	return con.Pages.RenderBranch(c, name, p)
}

// renderForm shows one of the Gate's pages.
func (con *Handler) renderForm(c *fiber.Ctx, status int, page, title string, v any, problem, notice string) error {
	p := con.page(c, title, v)
	p.Problem = problem
	if notice != "" {
		p.Notice = notice
	}
	return con.render(c, status, page, p)
}

// ErrorHandler is the branch's one place errors become answers: the
// console's error page under /console, JSON everywhere else.
func (con *Handler) ErrorHandler(c *fiber.Ctx, err error) error {
	e := web.AsError(c, err)
	if e.Code == models.EINTERNAL {
		web.LogInternal(c, err)
	}
	if web.WantsJSON(c, c.Path()) || !con.Gate.IsPath(c.Path()) {
		return web.JSONError(c, e)
	}
	if e.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(e.RetryAfter))
	}
	p := con.page(c, "出错了 Something went wrong", nil)
	p.Notice, p.Problem = "", e.Message
	return con.render(c, web.StatusOf(e.Code), "error.html", p)
}

// Accounts is the console's accounts page, for admins.
func (con *Handler) Accounts() *web.AccountPages {
	texts := web.AccountTexts{Page: "/console/accounts", Command: "branch", TokenAPI: "GET /api/v1/overview …",
		TokenExample: "/api/v1/assessment?month=2026-11", TokenPlaceholder: "数据平台 data platform"}
	return &web.AccountPages{AccountTexts: texts, Auth: con.Auth, RoleNames: branchRoleNames, LocalTime: con.localMillis,
		Render: func(c *fiber.Ctx, status int, v web.AccountsView) error {
			return con.render(c, status, "accounts.html", con.page(c, "账号 Accounts", v))
		}}
}

// localTime formats an instant in the branch's time zone; nil is "".
func (con *Handler) localTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(con.Svc.Location()).Format("2006-01-02 15:04")
}

func (con *Handler) localMillis(ms int64) string {
	if ms == 0 {
		return ""
	}
	t := time.UnixMilli(ms)
	return con.localTime(&t)
}

// Static serves the fingerprinted stylesheet and scripts.
func (con *Handler) Static(c *fiber.Ctx) error {
	body, ctype, ok := con.Pages.Static(c.Params("file"))
	if !ok {
		return models.Errorf(models.ENOTFOUND, "没有这个文件 / no such file")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, ctype)
	return c.Send(body)
}

// sendJSON answers an API request; figures are never cached.
func sendJSON(c *fiber.Ctx, v any) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}
