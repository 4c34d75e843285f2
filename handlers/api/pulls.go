package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/gateway"
	"harbor/app/pull"
	"harbor/app/signing"
	"harbor/models"
)

// Pulls answers the outlets' pulls at the public gateway.
type Pulls struct{ Svc *gateway.Service }

// Pull answers POST /api/v1/pull (app/pull): the items after the pull's
// cursor, after its signature and credential are checked.
func (g *Pulls) Pull(c *fiber.Ctx) error {
	if !strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON) {
		return models.Errorf(models.EMEDIATYPE, "send the pull as application/json")
	}
	// Copies: Fiber reuses these buffers, and the replay cache keeps the
	// signature.
	ans, err := g.Svc.Pull(c.UserContext(), gateway.SignedPull{
		Outlet:     strings.Clone(c.Get(signing.OutletHeader)),
		Signature:  strings.Clone(c.Get(signing.SignatureHeader)),
		Credential: strings.Clone(c.Get(pull.CredentialHeader)),
		Body:       append([]byte(nil), c.Body()...),
	})
	if err != nil {
		return err
	}
	return c.JSON(ans)
}
