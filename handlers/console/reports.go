package console

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/models"
)

// assessRow is an outlet's row of the assessment as the page shows it.
type assessRow struct {
	branch.AssessmentRow
	StateName, Coverage string
	FlagLinks           []flagLink
}

type reportsView struct {
	A                branch.Assessment
	Month, Quarter   string // the form's values
	Flags            []flagLink
	Rows             []assessRow
	Page, Pages      int
	PrevURL, NextURL string
	XLSXURL, CSVURL  string
	GeneratedAt      string
	ClosesAt         string
	AssistedRate     string
	Months, Quarters []string // quick choices
	Amenities        []totalRow
	Categories       []totalRow
}

// periodOf reads ?quarter= or ?month=, defaulting to last month.
func (con *Handler) periodOf(c *fiber.Ctx) (branch.Period, error) {
	if q := c.Query("quarter"); q != "" {
		return branch.QuarterPeriod(q)
	}
	m := c.Query("month")
	if m == "" {
		m = addDaysTo(con.Svc.Today()[:7]+"-01", -1)[:7]
	}
	return branch.MonthPeriod(m)
}

// assessment builds the assessment the request asks for.
func (con *Handler) assessment(c *fiber.Ctx) (branch.Assessment, error) {
	p, err := con.periodOf(c)
	if err != nil {
		return branch.Assessment{}, err
	}
	return con.Svc.Assessment(c.UserContext(), p)
}

// Reports shows a month's or quarter's assessment with its integrity
// flags, and links to the workbook and the CSV.
func (con *Handler) Reports(c *fiber.Ctx) error {
	a, err := con.assessment(c)
	if err != nil {
		return err
	}
	q := url.Values{}
	if a.Period.Kind == branch.KindQuarter {
		q.Set("quarter", a.Period.Label)
	} else {
		q.Set("month", a.Period.Label)
	}
	v := reportsView{A: a, XLSXURL: "/console/reports.xlsx?" + q.Encode(), CSVURL: "/console/reports.csv?" + q.Encode(),
		GeneratedAt: con.localTime(&a.GeneratedAt), ClosesAt: con.localTime(&a.ClosesAt),
		AssistedRate: strconv.FormatFloat(100*a.AssistedRate, 'f', 1, 64) + "%"}
	if a.Period.Kind == branch.KindQuarter {
		v.Quarter = a.Period.Label
	} else {
		v.Month = a.Period.Label
	}
	for _, o := range a.Outlets {
		v.Flags = append(v.Flags, flagLinks(o.Code, o.Name, o.Flags)...)
	}
	v.page(c, q)
	v.Months, v.Quarters = con.recentPeriods()
	names, err := con.Svc.AmenityNames(c.UserContext())
	if err != nil {
		return err
	}
	for _, x := range a.Amenities {
		v.Amenities = append(v.Amenities, totalRow{CodeTotal: x, Name: names[x.Code].ZH})
	}
	for _, x := range a.Categories {
		v.Categories = append(v.Categories, totalRow{CodeTotal: x, Name: models.CategoryNamed(x.Code).ZH})
	}
	return con.render(c, fiber.StatusOK, "reports.html", con.page(c, "考核报表 Assessment reports", v))
}

// page keeps one page of the outlets table.
func (v *reportsView) page(c *fiber.Ctx, q url.Values) {
	v.Pages = max(1, (len(v.A.Outlets)+OverviewPageSize-1)/OverviewPageSize)
	v.Page, _ = strconv.Atoi(c.Query("page"))
	v.Page = min(max(v.Page, 1), v.Pages)
	start := (v.Page - 1) * OverviewPageSize
	for _, o := range v.A.Outlets[start:min(start+OverviewPageSize, len(v.A.Outlets))] {
		v.Rows = append(v.Rows, assessRow{AssessmentRow: o, StateName: branch.StateName(o.State),
			Coverage: pct(o.Coverage.Share()), FlagLinks: flagLinks(o.Code, o.Name, o.Flags)})
	}
	link := func(page int) string {
		q.Set("page", strconv.Itoa(page))
		return "/console/reports?" + q.Encode() + "#outlets"
	}
	if v.Page > 1 {
		v.PrevURL = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
}

// recentPeriods offers this month and the five before, this quarter and
// the three before.
func (con *Handler) recentPeriods() (months, quarters []string) {
	today := con.Svc.Today()
	for first := today[:7] + "-01"; len(months) < 6; first = addDaysTo(first, -1)[:7] + "-01" {
		months = append(months, first[:7])
	}
	y, _ := strconv.Atoi(today[:4])
	m, _ := strconv.Atoi(today[5:7])
	for q := (m-1)/3 + 1; len(quarters) < 4; q-- {
		if q == 0 {
			q, y = 4, y-1
		}
		quarters = append(quarters, fmt.Sprintf("%dQ%d", y, q))
	}
	return months, quarters
}

// ReportXLSX downloads the assessment as an Excel workbook.
func (con *Handler) ReportXLSX(c *fiber.Ctx) error {
	return con.export(c, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", con.Svc.WriteAssessmentXLSX)
}

// ReportCSV downloads the assessment as CSV (UTF-8 with BOM).
func (con *Handler) ReportCSV(c *fiber.Ctx) error {
	return con.export(c, "csv", "text/csv; charset=utf-8", con.Svc.WriteAssessmentCSV)
}

func (con *Handler) export(c *fiber.Ctx, ext, ctype string, write func(context.Context, io.Writer, branch.Assessment) error) error {
	a, err := con.assessment(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(c.UserContext(), &buf, a); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ctype)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+branch.AssessmentFileName(a, ext)+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(buf.Bytes())
}

// AssessmentAPI answers GET /api/v1/assessment?month=|quarter= with the
// report's figures and flags.
func (con *Handler) AssessmentAPI(c *fiber.Ctx) error {
	a, err := con.assessment(c)
	if err != nil {
		return err
	}
	return sendJSON(c, a)
}
