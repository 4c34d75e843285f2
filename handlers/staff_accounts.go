package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// accounts is the staff console's accounts page, for managers.
func (st *Staff) accounts() *accountPages {
	return &accountPages{Auth: st.Auth, Page: "/staff/accounts", RoleNames: roleNames, LocalTime: st.localTime,
		Render: func(c *fiber.Ctx, status int, v accountsView) error {
			return st.render(c, status, "accounts.html", st.page(c, "账号 Accounts", v))
		}}
}
