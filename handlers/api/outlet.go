// Package api serves the JSON APIs that machines call: the outlet's
// health and profile, the branch's enrollment, report pushes and gateway
// credentials, and the public gateway's pulls. The check-in API lives
// with the worker pages (kiosk.Handler.CheckIn) and the consoles' figures
// with their pages (staff.Handler.Stats, console.Handler.OverviewAPI, …).
package api

import (
	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/handlers/web"
	"harbor/models"
)

// Outlet serves the outlet's JSON API (check-ins: kiosk.Handler.CheckIn).
type Outlet struct {
	Svc *outlet.Service
}

// Health answers GET /healthz: 200 when the database answers.
func (a *Outlet) Health(c *fiber.Ctx) error {
	if err := a.Svc.Ping(c.UserContext()); err != nil {
		return web.JSONError(c, models.Errorf(models.EUNAVAILABLE, "database not answering"))
	}
	reporter, err := a.Svc.ReporterStatus(c.UserContext())
	if err != nil {
		return err
	}
	answer := fiber.Map{"status": "ok", "role": "outlet", "outlet": a.Svc.Profile().Code,
		"time": a.Svc.Now().UTC().Format("2006-01-02T15:04:05Z"), "reporter": reporter}
	gw, err := a.Svc.GatewayStatus(c.UserContext())
	if err != nil {
		return err
	}
	if gw != nil {
		answer["gateway"] = gw
	}
	return c.JSON(answer)
}

type amenityJSON struct {
	Code  string `json:"code"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	Group string `json:"group"`
	Icon  string `json:"icon"`
}

type codeNameJSON struct {
	Code string `json:"code"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// Profile answers GET /api/v1/outlet: the public profile and catalog.
func (a *Outlet) Profile(c *fiber.Ctx) error {
	p := a.Svc.Profile()
	am := make([]amenityJSON, len(p.Amenities))
	for i, x := range p.Amenities {
		am[i] = amenityJSON{x.Code, x.ZH, x.EN, x.Group, x.Icon}
	}
	groups := make([]codeNameJSON, len(models.Groups))
	for i, g := range models.Groups {
		groups[i] = codeNameJSON{g.Code, g.ZH, g.EN}
	}
	cats := make([]codeNameJSON, len(models.Categories))
	for i, x := range models.Categories {
		cats[i] = codeNameJSON{x.Code, x.ZH, x.EN}
	}
	return c.JSON(fiber.Map{"code": p.Code, "name": p.Name, "timezone": p.TimeZone,
		"amenities": am, "groups": groups, "categories": cats})
}
