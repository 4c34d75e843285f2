package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	kioskweb "harbor/kiosk-web"
)

// What the pages of both consoles (the outlet's staff console and the
// branch console) share: the menu's items, the notice after a form, and
// the charts' bars.

// MenuItem is one entry of a console's menu.
type MenuItem struct {
	URL, Icon, Label string
	Current          bool
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

// NoticeOf is the notice for key, "" for none.
func NoticeOf(key string) string { return notices[key] }

// RedirectDone answers a successful form POST with 303 to target, which
// then shows the notice for key.
func RedirectDone(c *fiber.Ctx, target, key string) error {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return c.Redirect(target+sep+"done="+key, fiber.StatusSeeOther)
}

// TopBars turns rows into chart bars, the first limit of them (0: all); both
// consoles' amenity and category charts use it.
func TopBars[R interface{ Bar() kioskweb.Bar }](rows []R, limit int) []kioskweb.Bar {
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	out := make([]kioskweb.Bar, len(rows))
	for i, r := range rows {
		out[i] = r.Bar()
	}
	return out
}
