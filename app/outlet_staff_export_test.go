package app_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"harbor/app/apptest"
)

// seedTwoDays records visits on 2026-11-24 and 2026-11-25, the same phone
// on both days, plus an assisted group.
func seedTwoDays(t *testing.T, o *apptest.Outlet) {
	t.Helper()
	phone := apptest.NewClient(t, o.HTTP, "10.4.0.1")
	o.Clock.Set(time.Date(2026, 11, 24, 9, 0, 0, 0, apptest.Shanghai))
	submitStation(t, phone, o, url.Values{"a": {"water", "toilet"}, "c": {"sanitation"}})
	submitStation(t, apptest.NewClient(t, o.HTTP, "10.4.0.2"), o, url.Values{"a": {"water"}})
	o.Clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, apptest.Shanghai))
	submitStation(t, phone, o, url.Values{"a": {"water"}, "c": {"sanitation"}})
	c, tok := staffClient(t, o, "clerk", "10.4.0.3")
	postOK(t, c, "/staff/assisted", url.Values{"_csrf": {tok}, "a": {"tea"}, "c": {"courier"}, "people": {"2"}})
}

func download(t *testing.T, o *apptest.Outlet, ext string) []byte {
	t.Helper()
	c, _ := staffClient(t, o, "mgr", "10.4.0.4")
	resp, body := c.Get("/staff/history." + ext + "?from=2026-11-24&to=2026-11-25")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "harbor_DEMO01_2026-11-24_2026-11-25."+ext) {
		t.Fatalf("%s export: %d %q", ext, resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	return []byte(body)
}

// checkExportRows compares exported rows with the day reports from the
// database: meta rows, one row per day, the totals row and the amenities.
func checkExportRows(t *testing.T, o *apptest.Outlet, rows [][]string) {
	t.Helper()
	find := func(first string) []string {
		for _, r := range rows {
			if len(r) > 0 && r[0] == first {
				return r
			}
		}
		t.Fatalf("no row starting with %q in %v", first, rows)
		return nil
	}
	if r := find("网点 Outlet"); r[1] != "DEMO01" {
		t.Fatalf("outlet row %v", r)
	}
	if r := find("日期范围 Range"); r[1] != "2026-11-24" || r[2] != "2026-11-25" {
		t.Fatalf("range row %v", r)
	}
	total := 0
	for _, day := range []string{"2026-11-24", "2026-11-25"} {
		rep := report(t, o, day)
		want := []int{rep.Totals.CheckIns, rep.Totals.Visitors, rep.Channels.Live, rep.Channels.Poster, rep.Channels.Assisted}
		row := find(day)
		for i, w := range want {
			if row[i+1] != strconv.Itoa(w) {
				t.Fatalf("%s column %d: %q, database says %d (row %v)", day, i+1, row[i+1], w, row)
			}
		}
		total += rep.Totals.CheckIns
	}
	if r := find("合计 Total"); r[1] != strconv.Itoa(total) || !strings.Contains(r[2], "不跨日相加") {
		t.Fatalf("totals row %v: want %d check-ins and visitors not added", r, total)
	}
	if r := find("water"); r[3] != "3" {
		t.Fatalf("water row %v: want 3 check-ins over the two days", r)
	}
	if r := find("courier"); r[3] != "2" {
		t.Fatalf("courier row %v: want 2", r)
	}
}

func TestExportCSV(t *testing.T) {
	o := staffOutlet(t)
	seedTwoDays(t, o)
	body := download(t, o, "csv")
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV must start with a UTF-8 BOM so that Excel reads Chinese")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	checkExportRows(t, o, rows)
}

func TestExportXLSX(t *testing.T) {
	o := staffOutlet(t)
	seedTwoDays(t, o)
	f, err := excelize.OpenReader(bytes.NewReader(download(t, o, "xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 || sheets[0] != "每日 Daily" {
		t.Fatalf("sheets %v", sheets)
	}
	var rows [][]string
	for _, s := range sheets {
		r, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r...)
	}
	checkExportRows(t, o, rows)
	if v, _ := f.GetCellValue("每日 Daily", "B6"); v != "服务人次 Check-ins" {
		t.Fatalf("header row: B6 = %q", v)
	}
	checkSheetLayout(t, f, "每日 Daily", 6, "A7")
	if _, body := mgrGet(t, o, "/staff/history?from=2026-11-24&to=2026-11-25"); !strings.Contains(body, "不跨日相加") {
		t.Fatal("History must label unique visitors as per day")
	}
}

func mgrGet(t *testing.T, o *apptest.Outlet, path string) (*http.Response, string) {
	t.Helper()
	c, _ := staffClient(t, o, "mgr", "10.4.0.5")
	return c.Get(path)
}

// checkSheetLayout checks what makes a sheet readable in Excel: rows down
// to header frozen, column widths set from the content, and dayCell (a
// day) stored as a date, not as text.
func checkSheetLayout(t *testing.T, f *excelize.File, sheet string, header int, dayCell string) {
	t.Helper()
	panes, err := f.GetPanes(sheet)
	if err != nil || !panes.Freeze || panes.YSplit != header {
		t.Errorf("%s: panes %+v (%v), want rows 1-%d frozen", sheet, panes, err, header)
	}
	a, _ := f.GetColWidth(sheet, "A")
	c, _ := f.GetColWidth(sheet, "C")
	if a == c || a < 10 {
		t.Errorf("%s: columns A and C are %.0f and %.0f wide; want widths from their content", sheet, a, c)
	}
	typ, _ := f.GetCellType(sheet, dayCell)
	raw, _ := f.GetCellValue(sheet, dayCell, excelize.Options{RawCellValue: true})
	shown, _ := f.GetCellValue(sheet, dayCell)
	if typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString || len(shown) != 10 || raw == shown {
		t.Errorf("%s!%s: %q shown as %q (type %v); want a date shown yyyy-mm-dd", sheet, dayCell, raw, shown, typ)
	}
}
