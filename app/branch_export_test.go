package app_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
)

// TestAssessmentExportsMatchTheDatabase downloads November's workbook and
// CSV and reads them back: every outlet's and amenity's figures are what
// the stored reports add up to, and the flags are there.
func TestAssessmentExportsMatchTheDatabase(t *testing.T) {
	apptest.ForEachBranchBackend(t, testAssessmentExportsMatchTheDatabase)
}

func testAssessmentExportsMatchTheDatabase(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)
	var a branch.Assessment
	getJSON(t, c, "/api/v1/assessment?month=2026-11", &a)
	flags := flagCodes(a)
	if a.Through != "2026-11-24" || a.DaysCounted != 24 || a.Closed || a.Flagged != 2 ||
		flags["SY001"] != "" || flags["SY002"] != "assisted_share missing_days:2" || flags["SY003"] != "missing_days:4" {
		t.Fatalf("assessment: through %s, %d days, closed %v, flags %v", a.Through, a.DaysCounted, a.Closed, flags)
	}

	resp, body := c.Get("/console/reports.xlsx?month=2026-11")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "harbor_assessment_2026-11_partial.xlsx") {
		t.Fatalf("xlsx: %d %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	tables := readWorkbook(t, []byte(body))
	checkExport(t, cr, tables)
	if !strings.Contains(strings.Join(tables["汇总 Summary"].meta, "|"), "生成时间 Generated at") {
		t.Fatalf("the workbook does not say when it was made: %v", tables["汇总 Summary"].meta)
	}

	resp, body = c.Get("/console/reports.csv?month=2026-11")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("csv: %d, BOM %v", resp.StatusCode, strings.HasPrefix(body, "\ufeff"))
	}
	checkExport(t, cr, readCSV(t, strings.TrimPrefix(body, "\ufeff")))

	resp, body = c.Get("/console/reports?quarter=2026Q4")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "2026Q4") || !strings.Contains(body, "代登记占比") {
		t.Fatalf("quarter page: %d", resp.StatusCode)
	}
}

// flagCodes lists each outlet's flags as "code[:days] ...".
func flagCodes(a branch.Assessment) map[string]string {
	out := map[string]string{}
	for _, o := range a.Outlets {
		var parts []string
		for _, f := range o.Flags {
			p := f.Code
			if f.Days > 0 {
				p += ":" + strconv.Itoa(f.Days)
			}
			parts = append(parts, p)
		}
		out[o.Code] = strings.Join(parts, " ")
	}
	return out
}

// table is one table of an export read back: the rows above its header,
// the header and the rows under it, by first cell.
type table struct {
	meta   []string
	header []string
	rows   map[string][]string
}

// cell returns the value under the header column that starts with col.
func (tb table) cell(key, col string) string {
	for i, h := range tb.header {
		if strings.HasPrefix(h, col) && i < len(tb.rows[key]) {
			return tb.rows[key][i]
		}
	}
	return ""
}

func readWorkbook(t *testing.T, b []byte) map[string]table {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]table{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		out[sheet] = splitTable(rows, 0, len(rows))
	}
	if len(out) != 5 {
		t.Fatalf("sheets: %v", f.GetSheetList())
	}
	checkSheetLayout(t, f, "网点 Outlets", 9, "C1") // the period's first day
	return out
}

// splitTable reads rows[from:to]: meta lines up to a blank row, then the header and the rows.
func splitTable(rows [][]string, from, to int) table {
	tb := table{rows: map[string][]string{}}
	i := from
	for ; i < to && len(rows[i]) > 0 && rows[i][0] != ""; i++ {
		tb.meta = append(tb.meta, strings.Join(rows[i], " "))
	}
	for i++; i < to; i++ {
		if tb.header == nil {
			tb.header = rows[i]
			continue
		}
		if len(rows[i]) > 0 {
			tb.rows[rows[i][0]] = rows[i]
		}
	}
	return tb
}

// readCSV reads the CSV export's tables: each starts with a row holding
// only its title, then its header (csv skips the blank lines between).
func readCSV(t *testing.T, body string) map[string]table {
	t.Helper()
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]table{}
	var cur *table
	for i := 0; i < len(rows); i++ {
		switch {
		case len(rows[i]) == 1:
			cur = &table{header: rows[i+1], rows: map[string][]string{}}
			out[rows[i][0]] = *cur
			i++
		case cur != nil:
			cur.rows[rows[i][0]] = rows[i]
		}
	}
	return out
}

// checkExport compares the outlets and amenities tables with the database.
func checkExport(t *testing.T, cr *crafted, tables map[string]table) {
	t.Helper()
	var outlets []struct {
		Outlet             string
		Checkins, Visitors int
		Assisted, Days     int
	}
	cr.b.Svc.DB().Read.Raw(`SELECT outlet, SUM(checkins) AS checkins, SUM(visitors) AS visitors, SUM(assisted) AS assisted,
		COUNT(*) AS days FROM reports WHERE day >= '2026-11-01' AND day <= '2026-11-24' GROUP BY outlet`).Scan(&outlets)
	ot := tables["网点 Outlets"]
	for _, o := range outlets {
		for col, want := range map[string]int{"服务人次": o.Checkins, "访客人天": o.Visitors, "代登记 Assisted": o.Assisted, "上报天数": o.Days} {
			if got := ot.cell(o.Outlet, col); got != strconv.Itoa(want) {
				t.Errorf("%s %s: export %q, database %d (header %v)", o.Outlet, col, got, want, ot.header)
			}
		}
	}
	if due := ot.cell("SY002", "应报天数"); due != "24" || !strings.Contains(ot.cell("SY002", "核查提示"), "代登记占比 90%") {
		t.Errorf("SY002: due %q, flags %q", due, ot.cell("SY002", "核查提示"))
	}
	var amenities []struct {
		Amenity            string
		Checkins, Visitors int
	}
	cr.b.Svc.DB().Read.Raw(`SELECT amenity, SUM(checkins) AS checkins, SUM(visitors) AS visitors FROM report_amenities
		WHERE day >= '2026-11-01' AND day <= '2026-11-24' GROUP BY amenity`).Scan(&amenities)
	at := tables["服务项目 Amenities"]
	for _, a := range amenities {
		if at.cell(a.Amenity, "服务人次") != strconv.Itoa(a.Checkins) || at.cell(a.Amenity, "访客人天") != strconv.Itoa(a.Visitors) {
			t.Errorf("amenity %s: export %v, database %+v", a.Amenity, at.rows[a.Amenity], a)
		}
	}
	if len(amenities) != 2 || at.cell("water", "服务项目") != "饮用水" {
		t.Errorf("amenities %+v, table %v", amenities, at.rows)
	}
	if ct := tables["人群 Categories"]; ct.cell("sanitation", "服务人次") != "636" {
		t.Errorf("categories: %v", ct.rows)
	}
	if ft := tables["核查 Flags"]; len(ft.rows) != 2 {
		t.Errorf("flags sheet rows: %v", ft.rows)
	}
}

// TestIntegrityFlagsAfterClose: figures that change after the period
// closed are flagged, with the days, apart from days first reported after
// it; earlier final reports are not, nor is a late revision that changes
// no figure.
func TestIntegrityFlagsAfterClose(t *testing.T) {
	apptest.ForEachBranchBackend(t, testIntegrityFlagsAfterClose)
}

func testIntegrityFlagsAfterClose(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	cr.clock.Set(time.Date(2026, 12, 1, 12, 0, 0, 0, apptest.Shanghai)) // before the close (Dec 2, 00:00)
	for d := 25; d <= 30; d++ {
		cr.push("SY001", day(d), 1, 1)
	}
	cr.push("SY002", day(12), 2, 1)
	cr.clock.Set(time.Date(2026, 12, 5, 10, 0, 0, 0, apptest.Shanghai))
	cr.push("SY001", day(15), 2, 3) // revised after the close
	cr.push("SY003", day(21), 1, 1) // first sent after the close
	cr.push("SY001", day(16), 2, 1) // a new revision with the same figures
	c, _ := cr.consoleClient(t, "admin1", adminPassword)
	var a branch.Assessment
	getJSON(t, c, "/api/v1/assessment?month=2026-11", &a)
	flags := flagCodes(a)
	if !a.Closed || a.Through != "2026-11-30" || flags["SY001"] != "changed_after_close:1" ||
		flags["SY002"] != "assisted_share missing_days:8" || flags["SY003"] != "missing_days:9 reported_after_close:1" {
		t.Fatalf("closed %v through %s flags %v", a.Closed, a.Through, flags)
	}
	for _, o := range a.Outlets {
		if o.Code == "SY001" && (o.Flags[0].Examples[0] != "2026-11-15" || o.CheckIns != 30*10+20) {
			t.Fatalf("SY001: %+v", o)
		}
	}
	_, body := c.Get("/console/reports?month=2026-11")
	if !strings.Contains(body, "报告期截止后数字被修改 1 天（2026-11-15）") || !strings.Contains(body, "缺报 9 天") ||
		!strings.Contains(body, "报告期截止后才首次上报 1 天（2026-11-21）") {
		t.Fatal("the report page does not show the flags")
	}
}
