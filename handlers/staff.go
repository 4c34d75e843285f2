package handlers

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/app/outlet"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Staff serves the outlet staff console (/staff/...), its static files and
// the stats API.
type Staff struct {
	Svc   *outlet.Service
	Auth  *auth.Store
	Gate  *Gate // logins, sessions, CSRF and roles of /staff
	Pages *kioskweb.Pages
	// Metrics counts assisted check-ins.
	Metrics *Metrics
	// Prefix is the path every route lives under (config.PathPrefix).
	Prefix string
}

// path is p ("/staff/today") under the routes' prefix.
func (st *Staff) path(p string) string { return st.Prefix + p }

// staffPage is what every staff console template receives.
type staffPage struct {
	Title    string
	User     *auth.User
	RoleName string
	CSRF     string
	Station  *models.Profile
	Menu     []menuItem
	Notice   string
	Problem  string
	Alerts   []string   // shown on every page while they hold (outlet.Service.Alerts)
	Form     url.Values // what a failed form post sent, to fill the form again (see retype)
	Refresh  int        // seconds between the page's reloads by staff.js; 0: none
	Data     any
}

type menuItem struct {
	URL, Icon, Label string
	Current          bool
}

var roleNames = map[string]string{models.RoleManager: "负责人 manager", models.RoleStaff: "员工 staff"}

// menu lists the pages a role may open, under prefix; managers see four
// more.
func menu(prefix, role, current string) []menuItem {
	items := []menuItem{
		{URL: "/staff/today", Icon: "chart", Label: "今日 Today"},
		{URL: "/staff/history", Icon: "calendar", Label: "历史 History"},
		{URL: "/staff/assisted", Icon: "staff", Label: "代登记 Assisted"},
		{URL: "/staff/feedback", Icon: "inbox", Label: "意见 Feedback"},
		{URL: "/staff/activities", Icon: "activity", Label: "宣教 Activities"},
	}
	if role == models.RoleManager {
		items = append(items,
			menuItem{URL: "/staff/amenities", Icon: "list", Label: "服务项目 Amenities"},
			menuItem{URL: "/staff/posters", Icon: "printer", Label: "海报 Posters"},
			menuItem{URL: "/staff/corrections", Icon: "check", Label: "更正 Corrections"},
			menuItem{URL: "/staff/accounts", Icon: "settings", Label: "账号 Accounts"})
	}
	for i := range items {
		items[i].URL = prefix + items[i].URL
		items[i].Current = strings.HasPrefix(current, items[i].URL)
	}
	return items
}

// page starts a page for the current request's session.
func (st *Staff) page(c *fiber.Ctx, title string, data any) *staffPage {
	p := &staffPage{Title: title, Station: st.Svc.Profile(), Data: data, Notice: noticeOf(c.Query("done"))}
	if sess, ok := sessionOf(c); ok {
		p.CSRF = sess.CSRF
		if sess.User != nil {
			p.User, p.RoleName = sess.User, roleNames[sess.User.Role]
			p.Menu = menu(st.Prefix, sess.User.Role, c.Path())
			p.Alerts = st.alerts(c)
		}
	}
	if t := typedOf(c); t != nil {
		p.Notice, p.Problem, p.Form = "", t.Problem.Message, t.Form
	}
	return p
}

// alerts are the warnings of every logged-in page; a failure to read them
// is logged, not shown in their place.
func (st *Staff) alerts(c *fiber.Ctx) []string {
	a, err := st.Svc.Alerts(c.UserContext())
	if err != nil {
		slog.Error("staff alerts", "err", err)
	}
	return a
}

// render writes a staff page; they are never cached. A page shown again
// for a problem with its input answers the problem's status.
func (st *Staff) render(c *fiber.Ctx, status int, name string, p *staffPage) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(typedOf(c).status(status))
	return st.Pages.RenderStaff(c, name, p)
}

// notices are the short confirmations shown after a POST/redirect/GET,
// chosen by a fixed key so that no text travels in the URL.
var notices = map[string]string{
	"assisted":  "已代登记 Assisted visit recorded",
	"resolved":  "已标记为已处理 Marked resolved",
	"activity":  "活动已登记 Activity saved",
	"amenities": "服务项目已更新，扫码页面已同步 Amenities updated; kiosk pages show it now",
	"corrected": "已更正，下次报告会把更正送到分行 Corrected; the next report takes it to the branch",
	"voided":    "已作废，下次报告会把更正送到分行 Voided; the next report takes it to the branch",
	"hours":     "开放时间已保存 Opening hours saved",
	"place":     "站点位置已保存，将随下次报告送到分行 Location saved; the next report takes it to the branch",
	"replaced":  "海报已更换：请打印并张贴新海报 Posters replaced: print and hang the new ones",
	"user":      "账号已更新 Account saved",
	"revoked":   "令牌已撤销 Token revoked",
	"password":  "密码已修改；此账号在其他地方的登录已退出 Password changed; this account was logged out everywhere else",
	"scheme":    "考核方案已保存为新版本 Scheme saved as a new version",
	"published": "通报已发布，数字已冻结 Bulletin published; its figures are frozen",
	"withdrawn": "通报已撤回，本期恢复为草稿 Bulletin withdrawn; the period is a draft again",
}

func noticeOf(key string) string { return notices[key] }

// redirectDone answers a successful form POST with 303 to target, which
// then shows the notice for key.
func redirectDone(c *fiber.Ctx, target, key string) error {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return c.Redirect(target+sep+"done="+key, fiber.StatusSeeOther)
}

// renderError is the error page of the console, for ErrorHandler.
func (st *Staff) renderError(c *fiber.Ctx, e *models.Error) error {
	p := &staffPage{Title: "出错了 Something went wrong", Station: st.Svc.Profile(), Problem: e.Message}
	if sess, ok := sessionOf(c); ok && sess.User != nil {
		p.User, p.CSRF, p.RoleName = sess.User, sess.CSRF, roleNames[sess.User.Role]
		p.Menu = menu(st.Prefix, sess.User.Role, c.Path())
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(statusOf(e.Code))
	return st.Pages.RenderStaff(c, "error.html", p)
}

// isStaffPath tells the console's pages from the kiosk's.
func isStaffPath(path string) bool { return path == "/staff" || strings.HasPrefix(path, "/staff/") }

// Static serves the fingerprinted staff stylesheet and script.
func (st *Staff) Static(c *fiber.Ctx) error {
	body, ctype, ok := st.Pages.Static(c.Params("file"))
	if !ok {
		return models.Errorf(models.ENOTFOUND, "没有这个文件 / no such file")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, ctype)
	return c.Send(body)
}

// localTime formats a unix-millisecond instant in the outlet's zone.
func (st *Staff) localTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(st.Svc.Location()).Format("2006-01-02 15:04")
}
