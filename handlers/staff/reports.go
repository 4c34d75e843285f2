package staff

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Today's dashboard, History, its exports and GET /api/v1/stats.

// TodayRefresh is how often, in seconds, the Today page reloads itself
// (staff.js, with a pause button; ?auto=1 does not count as use).
const TodayRefresh = 60

type countRow struct {
	Code, Name         string
	CheckIns, Visitors int
}

type todayView struct {
	Report                                               models.Report
	Updated                                              string
	Amenities, Categories                                []countRow
	AmenityChart, HourChart, CategoryChart, ChannelChart template.HTML
	Newest                                               []feedbackView
	Reporter                                             outlet.ReporterStatus
	LastSuccess, LastNoticeAt                            string
	// Gateway is the pull from the public gateway (nil without one), and
	// GatewaySuccess its last success in words.
	Gateway        *outlet.GatewayStatus
	GatewaySuccess string
}

// Today shows the day's figures so far; the page refreshes itself.
func (st *Handler) Today(c *fiber.Ctx) error {
	ctx := c.UserContext()
	r, err := st.Svc.TodayReport(ctx)
	if err != nil {
		return err
	}
	names, err := st.Svc.AmenityNames(ctx)
	if err != nil {
		return err
	}
	newest, err := st.Svc.FeedbackList(ctx, false, 5)
	if err != nil {
		return err
	}
	reporter, err := st.Svc.ReporterStatus(ctx)
	if err != nil {
		return err
	}
	v := todayView{Report: r, Updated: st.Svc.Now().In(st.Svc.Location()).Format("15:04"), Newest: st.feedbackViews(newest, names),
		Reporter: reporter}
	if reporter.LastSuccess != nil {
		v.LastSuccess = reporter.LastSuccess.In(st.Svc.Location()).Format("2006-01-02 15:04")
	}
	if reporter.LastNoticeAt != nil {
		v.LastNoticeAt = reporter.LastNoticeAt.In(st.Svc.Location()).Format("2006-01-02 15:04")
	}
	if v.Gateway, err = st.Svc.GatewayStatus(ctx); err != nil {
		return err
	}
	if v.Gateway != nil && v.Gateway.LastSuccess != nil {
		v.GatewaySuccess = v.Gateway.LastSuccess.In(st.Svc.Location()).Format("2006-01-02 15:04:05")
	}
	for _, a := range r.Amenities {
		v.Amenities = append(v.Amenities, countRow{Code: a.Code, Name: names[a.Code].ZH, CheckIns: a.CheckIns, Visitors: a.Visitors})
	}
	for _, k := range r.Categories {
		v.Categories = append(v.Categories, countRow{Code: k.Code, Name: outlet.CategoryName(k.Code).ZH, CheckIns: k.CheckIns})
	}
	sortRows(v.Amenities)
	sortRows(v.Categories)
	v.drawCharts()
	p := st.page(c, "今日 Today", v)
	p.Refresh = TodayRefresh
	return st.render(c, fiber.StatusOK, "today.html", p)
}

// drawCharts draws Today's four charts from its rows and report.
func (v *todayView) drawCharts() {
	ch := v.Report.Channels
	v.AmenityChart = kioskweb.HBars("amenity-chart", "各服务项目人次 Check-ins by amenity", web.TopBars(v.Amenities, 15))
	v.CategoryChart = kioskweb.HBars("category-chart", "人群 Worker categories", web.TopBars(v.Categories, 0))
	v.ChannelChart = kioskweb.HBars("channel-chart", "登记方式 Channels", []kioskweb.Bar{
		{Label: "现场码 live", Value: ch.Live}, {Label: "海报码 poster", Value: ch.Poster}, {Label: "代登记 assisted", Value: ch.Assisted}})
	v.HourChart = kioskweb.Columns("hour-chart", "分时段人次 Check-ins by hour", hourBars(v.Report.Hours), 3)
}

// sortRows puts the most used first.
func sortRows(rows []countRow) {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].CheckIns > rows[j].CheckIns })
}

func (r countRow) Bar() kioskweb.Bar { return kioskweb.Bar{Label: r.Name, Value: r.CheckIns} }

func hourBars(hours [24]int) []kioskweb.Bar {
	out := make([]kioskweb.Bar, 24)
	for h, n := range hours {
		out[h] = kioskweb.Bar{Label: strconv.Itoa(h), Value: n}
	}
	return out
}

type historyView struct {
	Stats                 outlet.RangeStats
	DaysChart             template.HTML
	Amenities, Categories []countRow
	CSVURL, XLSXURL       string
}

// statsRange reads ?from=&to=, defaulting to the last 30 days (or today
// for the API).
func (st *Handler) statsRange(c *fiber.Ctx, defaultDays int) (string, string) {
	today, _ := models.LocalDay(st.Svc.Now(), st.Svc.Location())
	from, to := c.Query("from"), c.Query("to")
	if to == "" {
		to = today
	}
	if from == "" {
		from = models.AddDays(to, 1-defaultDays)
	}
	return from, to
}

// History shows any range of days with its daily chart and tables.
func (st *Handler) History(c *fiber.Ctx) error {
	ctx := c.UserContext()
	from, to := st.statsRange(c, 30)
	s, err := st.Svc.Stats(ctx, from, to)
	if err != nil {
		return err
	}
	names, err := st.Svc.AmenityNames(ctx)
	if err != nil {
		return err
	}
	q := url.Values{"from": {from}, "to": {to}}.Encode()
	v := historyView{Stats: s, CSVURL: st.path("/staff/history.csv?") + q, XLSXURL: st.path("/staff/history.xlsx?") + q}
	days := make([]kioskweb.Bar, len(s.Days))
	for i, d := range s.Days {
		days[i] = kioskweb.Bar{Label: d.Day[5:], Value: d.CheckIns}
	}
	v.DaysChart = kioskweb.Columns("days-chart", "每日人次 Check-ins per day", days, (len(days)+9)/10)
	for _, a := range s.Amenities {
		v.Amenities = append(v.Amenities, countRow{Code: a.Code, Name: names[a.Code].ZH + " " + names[a.Code].EN, CheckIns: a.CheckIns})
	}
	for _, k := range s.Categories {
		n := outlet.CategoryName(k.Code)
		v.Categories = append(v.Categories, countRow{Code: k.Code, Name: n.ZH + " " + n.EN, CheckIns: k.CheckIns})
	}
	return st.render(c, fiber.StatusOK, "history.html", st.page(c, "历史 History", v))
}

// ExportCSV downloads the History range as CSV (UTF-8 with BOM).
func (st *Handler) ExportCSV(c *fiber.Ctx) error {
	return st.export(c, "csv", "text/csv; charset=utf-8", st.Svc.WriteCSV)
}

// ExportXLSX downloads the History range as an Excel workbook.
func (st *Handler) ExportXLSX(c *fiber.Ctx) error {
	return st.export(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", st.Svc.WriteXLSX)
}

func (st *Handler) export(c *fiber.Ctx, ext, ctype string, write func(context.Context, io.Writer, outlet.RangeStats) error) error {
	from, to := st.statsRange(c, 30)
	s, err := st.Svc.Stats(c.UserContext(), from, to)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(c.UserContext(), &buf, s); err != nil {
		return err
	}
	name := strings.Join([]string{"harbor", s.Outlet, from, to}, "_") + "." + ext
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// Stats answers GET /api/v1/stats?from=&to= (default: today) with the
// figures the History page shows, for a logged-in session or an API token.
func (st *Handler) Stats(c *fiber.Ctx) error {
	from, to := st.statsRange(c, 1)
	s, err := st.Svc.Stats(c.UserContext(), from, to)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(s)
}
