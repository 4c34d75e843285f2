package console

import (
	"html/template"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// OverviewPageSize is how many outlets one page of the overview lists.
const OverviewPageSize = 200

type overviewRow struct {
	branch.OverviewOutlet
	Rank                  int
	Received, LastContact string
	AssistedPct           string
	Coverage              string
	FlagLinks             []flagLink
}

// codeRow is an amenity's or category's figures with its names.
type codeRow struct {
	branch.OverviewCode
	Name string
}

type overviewView struct {
	O                           branch.Overview
	PrevDay, NextDay            string
	Rows, Attention             []overviewRow
	Page, Pages                 int
	PrevURL, NextURL            string
	OnlyAttention               bool
	Amenities, Categories       []codeRow
	MonthDays, AvgVisitors      int
	TrendChart, AmenityChart    template.HTML
	CategoryChart, ChannelChart template.HTML
}

// Overview shows one day (default yesterday) and the month up to it.
func (con *Handler) Overview(c *fiber.Ctx) error {
	ov, err := con.Svc.Overview(c.UserContext(), con.day(c))
	if err != nil {
		return err
	}
	v := overviewView{O: ov, PrevDay: models.AddDays(ov.Day, -1), NextDay: models.AddDays(ov.Day, 1),
		OnlyAttention: c.Query("only") == "attention", MonthDays: ov.MonthToDate.Days()}
	if v.MonthDays > 0 {
		v.AvgVisitors = ov.MonthTotals.VisitorDays / v.MonthDays
	}
	var rows []overviewRow
	for i, o := range ov.Outlets {
		r := overviewRow{OverviewOutlet: o, Rank: i + 1, Received: con.localTime(o.ReceivedAt),
			LastContact: con.localTime(o.LastContactAt), AssistedPct: pctOf(o.Channels.Assisted, o.CheckIns),
			Coverage: pct(o.Coverage), FlagLinks: flagLinks(o.Code, o.Name, o.Flags)}
		if i > 0 && o.CheckIns == ov.Outlets[i-1].CheckIns {
			r.Rank = rows[len(rows)-1].Rank // ties share a rank
		}
		if o.NeedsAttention() {
			v.Attention = append(v.Attention, r)
		}
		rows = append(rows, r)
	}
	if v.OnlyAttention {
		rows = v.Attention
	}
	v.paginate(c, rows)
	names, err := con.Svc.AmenityNames(c.UserContext())
	if err != nil {
		return err
	}
	for _, a := range ov.Amenities {
		v.Amenities = append(v.Amenities, codeRow{OverviewCode: a, Name: names[a.Code].ZH})
	}
	for _, k := range ov.Categories {
		v.Categories = append(v.Categories, codeRow{OverviewCode: k, Name: models.CategoryNamed(k.Code).ZH})
	}
	v.drawCharts()
	return con.render(c, fiber.StatusOK, "overview.html", con.page(c, "总览 Overview", v))
}

// paginate keeps one page of rows and the links to its neighbours.
func (v *overviewView) paginate(c *fiber.Ctx, rows []overviewRow) {
	v.Pages = max(1, (len(rows)+OverviewPageSize-1)/OverviewPageSize)
	v.Page, _ = strconv.Atoi(c.Query("page"))
	v.Page = min(max(v.Page, 1), v.Pages)
	start := (v.Page - 1) * OverviewPageSize
	v.Rows = rows[start:min(start+OverviewPageSize, len(rows))]
	link := func(page int) string {
		q := url.Values{"day": {v.O.Day}, "page": {strconv.Itoa(page)}}
		if v.OnlyAttention {
			q.Set("only", "attention")
		}
		return "/console/overview?" + q.Encode() + "#outlets"
	}
	if v.Page > 1 {
		v.PrevURL = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
	if len(v.Attention) > 20 {
		v.Attention = v.Attention[:20]
	}
}

// drawCharts draws the overview's trend and mix charts.
func (v *overviewView) drawCharts() {
	days := make([]kioskweb.Bar, len(v.O.Trend))
	for i, d := range v.O.Trend {
		days[i] = kioskweb.Bar{Label: d.Day[5:], Value: d.CheckIns}
	}
	v.TrendChart = kioskweb.Columns("trend-chart", "近30天每日服务人次 Check-ins per day, last 30 days", days, 5)
	amen := make([]kioskweb.Bar, 0, 15)
	for _, a := range v.Amenities {
		if len(amen) < 15 {
			amen = append(amen, kioskweb.Bar{Label: a.Name, Value: a.MonthCheckIns})
		}
	}
	v.AmenityChart = kioskweb.HBars("amenity-chart", "本月各服务项目人次 Month to date by amenity", amen)
	cats := make([]kioskweb.Bar, len(v.Categories))
	for i, k := range v.Categories {
		cats[i] = kioskweb.Bar{Label: k.Name, Value: k.MonthCheckIns}
	}
	v.CategoryChart = kioskweb.HBars("category-chart", "本月人群构成 Worker categories, month to date", cats)
	v.ChannelChart = channelChart("channel-chart", "本月登记方式 Channels, month to date", v.O.MonthTotals.Channels)
}

// channelChart draws the live / poster / assisted split.
func channelChart(id, title string, ch models.ChannelCounts) template.HTML {
	return kioskweb.HBars(id, title, []kioskweb.Bar{
		{Label: "现场码 live", Value: ch.Live}, {Label: "海报码 poster", Value: ch.Poster}, {Label: "代登记 assisted", Value: ch.Assisted}})
}

// pctOf writes part/whole as a percentage, "" when whole is 0.
func pctOf(part, whole int) string {
	if whole == 0 {
		return ""
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 0, 64) + "%"
}

// day reads ?day=, defaulting to yesterday in the branch's time zone.
func (con *Handler) day(c *fiber.Ctx) string {
	if d := c.Query("day"); d != "" {
		return d
	}
	return con.Svc.Yesterday()
}

// OverviewAPI answers GET /api/v1/overview?day= with the overview's figures.
func (con *Handler) OverviewAPI(c *fiber.Ctx) error {
	ov, err := con.Svc.Overview(c.UserContext(), con.day(c))
	if err != nil {
		return err
	}
	return sendJSON(c, ov)
}

// OutletsAPI answers GET /api/v1/outlets: every registered outlet.
func (con *Handler) OutletsAPI(c *fiber.Ctx) error {
	outlets, err := con.Svc.ListOutlets(c.UserContext())
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.Map{"outlets": outlets})
}
