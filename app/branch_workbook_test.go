package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
)

// TestWorkbookCannotBeMisread is issue 11's list for the workbooks: a rank
// column with ties, the time zone named, each outlet's state (a registered
// outlet that never enrolled is not a row of zeros), shares as
// percentages, a running period marked partial in the title row and the
// file name, and a report made before enrollment counted with the days
// owed it belongs to.
func TestWorkbookCannotBeMisread(t *testing.T) {
	apptest.ForEachBranchBackend(t, testWorkbookCannotBeMisread)
}

func testWorkbookCannotBeMisread(t *testing.T, cfg config.Branch) {
	ctx := context.Background()
	clock := apptest.NewClock(time.Date(2026, 11, 1, 9, 0, 0, 0, apptest.Shanghai))
	b := apptest.NewBranchAt(t, cfg, clock)
	o := map[string]apptest.TestOutlet{}
	for _, code := range []string{"SY001", "SY002", "SY003", "SY004"} {
		o[code] = b.EnrollOutlet(code)
	}
	if _, err := b.Svc.AddOutlet(ctx, "SY005", "网点 SY005", "test", 0); err != nil { // never enrolled
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 11, 10, 9, 0, 0, 0, apptest.Shanghai))
	o["SY006"] = b.EnrollOutlet("SY006") // enrolled on the 10th
	clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, apptest.Shanghai))
	for d := 1; d <= 24; d++ {
		b.MustPush(o["SY001"], apptest.SampleReport("SY001", day(d), 1, 2))
		b.MustPush(o["SY002"], apptest.SampleReport("SY002", day(d), 1, 2)) // as many as SY001: a tie
		b.MustPush(o["SY003"], apptest.SampleReport("SY003", day(d), 1, 1))
		if d >= 5 { // from before its enrollment, on the 5th
			b.MustPush(o["SY006"], apptest.SampleReport("SY006", day(d), 1, 1))
		}
	}
	// SY004 enrolled but never reported.

	c := viewerClient(t, b)
	var a branch.Assessment
	getJSON(t, c, "/api/v1/assessment?month=2026-11", &a)
	rows := map[string]branch.AssessmentRow{}
	for _, r := range a.Outlets {
		rows[r.Code] = r
	}
	if !a.Partial || a.TimeZone != "Asia/Shanghai" || rows["SY001"].Rank != 1 || rows["SY002"].Rank != 1 || rows["SY003"].Rank != 3 {
		t.Fatalf("partial %v, zone %q, ranks %d %d %d", a.Partial, a.TimeZone, rows["SY001"].Rank, rows["SY002"].Rank, rows["SY003"].Rank)
	}
	for code, want := range map[string]string{"SY001": branch.OutletActive, "SY004": branch.OutletNeverReported,
		"SY005": branch.OutletNotEnrolled} {
		if rows[code].State != want {
			t.Errorf("%s: state %q, want %q", code, rows[code].State, want)
		}
	}
	// SY006 owed the 10th to the 24th, and reported the 5th to the 9th too.
	if r := rows["SY006"]; r.Days != 20 || r.DaysDue != 20 || len(r.Flags) != 0 {
		t.Errorf("SY006: %d days reported of %d due, flags %+v", r.Days, r.DaysDue, r.Flags)
	}

	resp, body := c.Get("/console/reports.xlsx?month=2026-11")
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "harbor_assessment_2026-11_partial.xlsx") {
		t.Fatalf("xlsx: %d %s", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	ot := readWorkbook(t, []byte(body))["网点 Outlets"]
	meta := strings.Join(ot.meta, "\n")
	if !strings.Contains(strings.SplitN(meta, "\n", 2)[0], "partial: the period runs, counted through 2026-11-24") ||
		!strings.Contains(meta, "时区 Time zone Asia/Shanghai") {
		t.Fatalf("meta rows: %s", meta)
	}
	for _, c := range []struct{ code, col, want string }{
		{"SY001", "名次", "1"}, {"SY002", "名次", "1"}, {"SY003", "名次", "3"},
		{"SY004", "状态", "已接入未上报 enrolled, never reported"}, {"SY005", "状态", "未接入 not enrolled"},
		{"SY001", "代登记占比", "20.00%"}, {"SY006", "应报天数", "20"}, {"SY006", "缺报天数", "0"},
	} {
		if got := ot.cell(c.code, c.col); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.code, c.col, got, c.want)
		}
	}
	resp, body = c.Get("/console/reports.csv?month=2026-11")
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "_partial.csv") || !strings.Contains(body, ",20.0%,") {
		t.Fatalf("csv: %s", resp.Header.Get("Content-Disposition"))
	}
}
