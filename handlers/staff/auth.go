package staff

import (
	"github.com/gofiber/fiber/v2"

	"harbor/app/auth"
	"harbor/handlers/web"
)

// staffCookie carries the staff console's session id; the server keeps the
// session and the cookie has no expiry of its own.
const staffCookie = "hs"

// NewGate is the staff console's Gate: managers and staff, /staff.
func NewGate(st *Handler, accounts *auth.Store) *web.Gate {
	return &web.Gate{Auth: accounts, Cookie: staffCookie, Root: st.Prefix, Base: st.path("/staff"), Home: st.path("/staff/today"),
		Denied:     "只有网点负责人可以进行此操作 / only a manager may do this",
		RenderForm: st.renderForm}
}

// renderForm shows one of the Gate's pages.
func (st *Handler) renderForm(c *fiber.Ctx, status int, page, title string, v any, problem, notice string) error {
	p := st.page(c, title, v)
	p.Problem = problem
	if notice != "" {
		p.Notice = notice
	}
	return st.render(c, status, page, p)
}
