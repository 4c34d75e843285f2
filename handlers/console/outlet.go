package console

import (
	"html/template"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

type outletDayRow struct {
	branch.OutletDay
	Received, CoverageText string
}

type receiptRow struct {
	branch.Receipt
	Outcome, Received string
}

type networkActivity struct {
	branch.ActivityRow
	VenueName string
}

type totalRow struct {
	branch.CodeTotal
	Name string
}

type outletView struct {
	D                        branch.OutletDetail
	Days                     int
	Rows                     []outletDayRow // newest first
	Receipts                 []receiptRow
	Activities               []networkActivity
	Amenities, Categories    []totalRow
	LastContact, ProfileSeen string
	OpenNow                  string
	NotDue                   int // reports of days not due
	TrendChart, AmenityChart template.HTML
	CategoryChart            template.HTML
	ChannelChart             template.HTML
}

var outcomeNames = map[string]string{"stored": "首次接收 stored", "replaced": "更新 replaced",
	"duplicate": "重复 duplicate", "stale": "过期版本 stale", "conflict": "冲突 conflict"}

// outletDays reads ?days= (30 or 90; any 1-366 for the API).
func outletDays(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.Query("days", "30"))
	if err != nil {
		return 30
	}
	return n
}

// Outlet shows one outlet's last 30 or 90 days.
func (con *Handler) Outlet(c *fiber.Ctx) error {
	ctx := c.UserContext()
	d, err := con.Svc.OutletDetail(ctx, c.Params("code"), outletDays(c))
	if err != nil {
		return err
	}
	names, err := con.Svc.AmenityNames(ctx)
	if err != nil {
		return err
	}
	v := outletView{D: d, Days: len(d.Days), LastContact: con.localTime(d.Outlet.LastContactAt), NotDue: d.Totals.Days - d.DueReported}
	for i := len(d.Days) - 1; i >= 0; i-- {
		v.Rows = append(v.Rows, outletDayRow{OutletDay: d.Days[i], Received: con.localTime(d.Days[i].ReceivedAt),
			CoverageText: pct(d.Days[i].Coverage)})
	}
	for _, r := range d.Receipts {
		v.Receipts = append(v.Receipts, receiptRow{Receipt: r, Outcome: outcomeNames[r.Outcome], Received: con.localTime(&r.ReceivedAt)})
	}
	for _, a := range d.Activities {
		v.Activities = append(v.Activities, networkActivity{ActivityRow: a, VenueName: venueName(a.Venue)})
	}
	for _, a := range d.Amenities {
		v.Amenities = append(v.Amenities, totalRow{CodeTotal: a, Name: names[a.Code].ZH})
	}
	for _, k := range d.Categories {
		v.Categories = append(v.Categories, totalRow{CodeTotal: k, Name: models.CategoryNamed(k.Code).ZH})
	}
	if p := d.Profile; p != nil {
		v.ProfileSeen = con.localTime(&p.UpdatedAt)
		v.OpenNow = openText(p.OpenNow)
	}
	v.drawCharts()
	return con.render(c, fiber.StatusOK, "outlet.html", con.page(c, d.Outlet.Name+" · 网点 Outlet", v))
}

// drawCharts draws the outlet's daily trend and its mixes.
func (v *outletView) drawCharts() {
	days := make([]kioskweb.Bar, len(v.D.Days))
	for i, d := range v.D.Days {
		days[i] = kioskweb.Bar{Label: d.Day[5:], Value: d.CheckIns}
	}
	v.TrendChart = kioskweb.Columns("trend-chart", "每日服务人次 Check-ins per day", days, max(1, len(days)/10))
	v.AmenityChart = kioskweb.HBars("amenity-chart", "各服务项目人次 Check-ins by amenity", web.TopBars(v.Amenities, 15))
	v.CategoryChart = kioskweb.HBars("category-chart", "人群 Worker categories", web.TopBars(v.Categories, 0))
	v.ChannelChart = channelChart("channel-chart", "登记方式 Channels", v.D.Totals.Channels)
}

func (r totalRow) Bar() kioskweb.Bar { return kioskweb.Bar{Label: r.Name, Value: r.CheckIns} }

// venueName names an activity venue code in Chinese.
func venueName(code string) string {
	if v, ok := models.VenueByCode(code); ok {
		return v.ZH
	}
	return code
}

// openText says whether a station is open now; "" when unknown.
func openText(open *bool) string {
	switch {
	case open == nil:
		return ""
	case *open:
		return "营业中 open now"
	}
	return "已休息 closed now"
}

// OutletAPI answers GET /api/v1/outlets/{code}?days= with the outlet page's figures.
func (con *Handler) OutletAPI(c *fiber.Ctx) error {
	d, err := con.Svc.OutletDetail(c.UserContext(), c.Params("code"), outletDays(c))
	if err != nil {
		return err
	}
	return sendJSON(c, d)
}
