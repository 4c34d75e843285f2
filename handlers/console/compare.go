package console

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	kioskweb "harbor/kiosk-web"
)

// CompareCheckboxes is how many outlets the compare form offers as
// checkboxes; a bigger network types codes instead.
const CompareCheckboxes = 100

type compareMetric struct {
	Label  string
	Values []string
}

type pickOption struct {
	Value, Label string
	Checked      bool
}

type compareView struct {
	C              branch.Comparison
	Metrics        []compareMetric
	Chart          template.HTML
	OutletChoices  []pickOption
	GroupChoices   []pickOption
	OutletCodes    string // typed codes, for a big network
	ShowCheckboxes bool
}

// rangeOf reads ?from=&to=, defaulting to the days days up to yesterday.
func (con *Handler) rangeOf(c *fiber.Ctx, days int) (branch.Period, error) {
	to := c.Query("to", con.Svc.Yesterday())
	return branch.RangePeriod(c.Query("from", addDaysTo(to, 1-days)), to)
}

// multi reads every value of a repeated query parameter; with split,
// commas and spaces also separate values (typed outlet codes).
func multi(c *fiber.Ctx, key string, split bool) []string {
	var out []string
	for _, v := range c.Context().QueryArgs().PeekMulti(key) {
		values := []string{strings.TrimSpace(string(v))}
		if split {
			values = strings.FieldsFunc(values[0], func(r rune) bool { return r == ',' || r == '，' || r == ' ' })
		}
		for _, f := range values {
			if f != "" && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

// comparison reads the period and the picks; with no pick, every group.
func (con *Handler) comparison(c *fiber.Ctx) (branch.Comparison, []string, []string, error) {
	p, err := con.rangeOf(c, 30)
	if err != nil {
		return branch.Comparison{}, nil, nil, err
	}
	outlets, groups := multi(c, "outlet", true), multi(c, "group", false)
	cmp, err := con.Svc.Compare(c.UserContext(), p, outlets, groups)
	if err == nil && len(outlets)+len(groups) == 0 && len(cmp.Groups) > 0 {
		groups = cmp.Groups[:min(len(cmp.Groups), branch.MaxCompare)]
		cmp, err = con.Svc.Compare(c.UserContext(), p, nil, groups)
	}
	return cmp, outlets, groups, err
}

// Compare shows outlets or groups side by side over a period.
func (con *Handler) Compare(c *fiber.Ctx) error {
	cmp, outlets, groups, err := con.comparison(c)
	if err != nil {
		return err
	}
	v := compareView{C: cmp, Metrics: compareMetrics(cmp.Columns), ShowCheckboxes: len(cmp.Outlets) <= CompareCheckboxes}
	if !v.ShowCheckboxes {
		v.OutletCodes = strings.Join(outlets, ", ")
	}
	for _, o := range cmp.Outlets {
		if v.ShowCheckboxes {
			v.OutletChoices = append(v.OutletChoices, pickOption{o.Code, o.Code + " " + o.Name, slices.Contains(outlets, o.Code)})
		}
	}
	for _, g := range cmp.Groups {
		v.GroupChoices = append(v.GroupChoices, pickOption{g, g, slices.Contains(groups, g)})
	}
	bars := make([]kioskweb.Bar, len(cmp.Columns))
	for i, col := range cmp.Columns {
		bars[i] = kioskweb.Bar{Label: col.Label, Value: col.Totals.CheckIns}
	}
	v.Chart = kioskweb.HBars("compare-chart", "服务人次 Check-ins", bars)
	return con.render(c, fiber.StatusOK, "compare.html", con.page(c, "比较 Compare", v))
}

// compareMetrics lays the columns out as one row per figure.
func compareMetrics(cols []branch.CompareColumn) []compareMetric {
	rows := []struct {
		label string
		value func(branch.CompareColumn) string
	}{
		{"网点数 Outlets", func(c branch.CompareColumn) string { return itoa(c.Outlets) }},
		{"上报天数 / 应报 Days reported / due", daysReported},
		{"服务人次 Check-ins", func(c branch.CompareColumn) string { return itoa(c.Totals.CheckIns) }},
		{"访客人天 Visitor-days", func(c branch.CompareColumn) string { return itoa(c.Totals.VisitorDays) }},
		{"日均访客 Visitors per reported day", func(c branch.CompareColumn) string { return perDay(c.Totals.VisitorDays, c.Totals.Days) }},
		{"现场码 Live", func(c branch.CompareColumn) string { return share(c.Totals.Channels.Live, c.Totals.CheckIns) }},
		{"海报码 Poster", func(c branch.CompareColumn) string { return share(c.Totals.Channels.Poster, c.Totals.CheckIns) }},
		{"代登记 Assisted", func(c branch.CompareColumn) string { return share(c.Totals.Channels.Assisted, c.Totals.CheckIns) }},
		{"收到意见 Feedback received", func(c branch.CompareColumn) string { return itoa(c.Totals.Feedback.Received) }},
		{"已处理 Resolved", func(c branch.CompareColumn) string { return itoa(c.Totals.Feedback.Resolved) }},
		{"期末未处理 Open at the end", func(c branch.CompareColumn) string { return itoa(c.Totals.Feedback.Open) }},
		{"宣教活动 Activities", func(c branch.CompareColumn) string { return itoa(c.Totals.Activities) }},
		{"参与人数 Participants", func(c branch.CompareColumn) string { return itoa(c.Totals.Participants) }},
	}
	out := make([]compareMetric, len(rows))
	for i, r := range rows {
		out[i].Label = r.label
		for _, col := range cols {
			out[i].Values = append(out[i].Values, r.value(col))
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

// daysReported writes the days due that were reported of the days due,
// and the reports of days not due apart: "1 / 1（+1 非应报 not due）".
func daysReported(c branch.CompareColumn) string {
	s := itoa(c.DueReported) + " / " + itoa(c.DaysDue)
	if extra := c.Totals.Days - c.DueReported; extra > 0 {
		s += "（+" + itoa(extra) + " 非应报 not due）"
	}
	return s
}

// share writes n and its share of whole: "12 (30%)".
func share(n, whole int) string {
	if whole == 0 {
		return itoa(n)
	}
	return itoa(n) + "（" + pctOf(n, whole) + "）"
}

// perDay writes n per day, one decimal.
func perDay(n, days int) string {
	if days == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(n)/float64(days), 'f', 1, 64)
}

// CompareAPI answers GET /api/v1/compare?from=&to=&outlet=&group=.
func (con *Handler) CompareAPI(c *fiber.Ctx) error {
	cmp, _, _, err := con.comparison(c)
	if err != nil {
		return err
	}
	return sendJSON(c, cmp)
}

// periodLinks are the quick choices of a period form.
type periodLink struct{ Label, URL string }

// periodLinks offers this month, last month and this year at path.
func (con *Handler) periodLinks(path string) []periodLink {
	today := con.Svc.Today()
	lastMonthEnd := addDaysTo(today[:7]+"-01", -1)
	link := func(from, to string) string { return path + "?" + url.Values{"from": {from}, "to": {to}}.Encode() }
	return []periodLink{
		{"本月 This month", link(today[:7]+"-01", today)},
		{"上月 Last month", link(lastMonthEnd[:7]+"-01", lastMonthEnd)},
		{"本年 This year", link(today[:4]+"-01-01", today)},
	}
}
