package staff

import (
	"github.com/gofiber/fiber/v2"

	"harbor/handlers/web"
)

// Accounts is the staff console's accounts page, for managers.
func (st *Handler) Accounts() *web.AccountPages {
	texts := web.AccountTexts{Page: st.path("/staff/accounts"), Command: "outlet", TokenAPI: "GET /api/v1/stats",
		TokenExample: "/api/v1/stats?from=2026-11-01&to=2026-11-30", TokenPlaceholder: "分行报表 branch report"}
	return &web.AccountPages{AccountTexts: texts, Auth: st.Auth, RoleNames: roleNames, LocalTime: st.localTime,
		Render: func(c *fiber.Ctx, status int, v web.AccountsView) error {
			return st.render(c, status, "accounts.html", st.page(c, "账号 Accounts", v))
		}}
}
