package console

import (
	"html/template"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

type venueRow struct {
	branch.VenueTotal
	Name string
}

type activitiesView struct {
	S          branch.ActivitySummary
	Venues     []venueRow
	List       []networkActivity
	Links      []periodLink
	VenueChart template.HTML
}

// activitiesPeriod reads ?from=&to=, defaulting to the last 30 days up to
// today (a month so far would be one day on the 1st).
func (con *Handler) activitiesPeriod(c *fiber.Ctx) (branch.Period, error) {
	to := c.Query("to", con.Svc.Today())
	return branch.RangePeriod(c.Query("from", addDaysTo(to, -29)), to)
}

// Activities shows the network's education activities over a period.
func (con *Handler) Activities(c *fiber.Ctx) error {
	p, err := con.activitiesPeriod(c)
	if err != nil {
		return err
	}
	s, err := con.Svc.Activities(c.UserContext(), p)
	if err != nil {
		return err
	}
	v := activitiesView{S: s, Links: con.periodLinks("/console/activities")}
	bars := make([]kioskweb.Bar, len(s.ByVenue))
	for i, x := range s.ByVenue {
		v.Venues = append(v.Venues, venueRow{VenueTotal: x, Name: venueName(x.Venue)})
		bars[i] = kioskweb.Bar{Label: venueName(x.Venue), Value: x.Activities}
	}
	v.VenueChart = kioskweb.HBars("venue-chart", "各类场所活动次数 Activities by venue", bars)
	for _, a := range s.List {
		v.List = append(v.List, networkActivity{ActivityRow: a, VenueName: venueName(a.Venue)})
	}
	return con.render(c, fiber.StatusOK, "activities.html", con.page(c, "宣教 Activities", v))
}

// ActivitiesAPI answers GET /api/v1/activities?from=&to=.
func (con *Handler) ActivitiesAPI(c *fiber.Ctx) error {
	p, err := con.activitiesPeriod(c)
	if err != nil {
		return err
	}
	s, err := con.Svc.Activities(c.UserContext(), p)
	if err != nil {
		return err
	}
	return sendJSON(c, s)
}

// addDaysTo is models.AddDays.
func addDaysTo(day string, n int) string { return models.AddDays(day, n) }
