package kiosk

import (
	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/handlers/web"
)

// checkInBody is POST /api/v1/checkins: the token and scope from the QR URL.
type checkInBody struct {
	Outlet    string   `json:"outlet"`
	Amenity   string   `json:"amenity"`
	Token     string   `json:"token"`
	Amenities []string `json:"amenities"`
	Category  string   `json:"category"`
}

// CheckIn answers POST /api/v1/checkins: 201 with what was recorded, or 200
// when every amenity was a duplicate and nothing new was stored. The
// outlet takes its own station's by default; the gateway must be told the
// outlet.
func (k *Handler) CheckIn(c *fiber.Ctx) error {
	var body checkInBody
	if err := web.DecodeJSON(c, &body); err != nil {
		return err
	}
	st, err := k.Stations.Station(body.Outlet)
	if err != nil {
		return err
	}
	req := outlet.CheckInRequest{Outlet: st.Profile().Code, Scope: body.Amenity, Token: body.Token,
		Amenities: body.Amenities, Category: body.Category}
	k.visitorOf(c, st, &req)
	res, err := st.RecordCheckIn(c.UserContext(), req)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if len(res.Recorded) == 0 {
		status = fiber.StatusOK
	} else {
		k.Metrics.CheckIn(res.Channel, 1)
	}
	return c.Status(status).JSON(res)
}
