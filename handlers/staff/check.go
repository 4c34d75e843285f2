package staff

import (
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
)

// checkProbeTimeout bounds each HTTP probe of the self-check page (the base
// URL, the branch), so the page answers within the server's write timeout.
const checkProbeTimeout = 5 * time.Second

// SelfCheck runs the checks of 'harbor outlet check' and shows them to a
// manager: each line passed, failed (with what to do) or skipped.
func (st *Handler) SelfCheck(c *fiber.Ctx) error {
	lines := outlet.CheckDataFolder(st.Svc.Config().DataDir)
	lines = append(lines, st.Svc.SelfCheck(c.UserContext(), &http.Client{Timeout: checkProbeTimeout})...)
	return st.render(c, fiber.StatusOK, "check.html", st.page(c, "自检 Self-check", lines))
}
