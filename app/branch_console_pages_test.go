package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
)

// TestNewOutletOwesNoPastDays: an outlet enrolled today that sent
// yesterday's and today's reports owes none of them: compare reads "0 / 0"
// with the two reports counted apart, its page marks the days before it
// joined as such (not as missing), and nothing is flagged.
func TestNewOutletOwesNoPastDays(t *testing.T) {
	apptest.ForEachBranchBackend(t, testNewOutletOwesNoPastDays)
}

func testNewOutletOwesNoPastDays(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg) // its clock stands at 2026-11-25 10:00
	late := cr.b.EnrollOutletIn("SY009", "新开支行", "城区")
	cr.outlets["SY009"] = late
	cr.push("SY009", "2026-11-24", 1, 2)
	cr.push("SY009", "2026-11-25", 1, 1)
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)

	var cmp branch.Comparison
	getJSON(t, c, "/api/v1/compare?from=2026-11-01&to=2026-11-25&outlet=SY009&outlet=SY001", &cmp)
	if col := cmp.Columns[0]; col.DaysDue != 0 || col.DueReported != 0 || col.Totals.Days != 2 {
		t.Fatalf("the new outlet compared: %+v", col)
	}
	if col := cmp.Columns[1]; col.DaysDue != 24 || col.DueReported != 24 || col.Totals.Days != 24 {
		t.Fatalf("an outlet of November 1st compared: %+v", col)
	}
	_, page := c.Get("/console/compare?from=2026-11-01&to=2026-11-25&outlet=SY009")
	contains(t, "the compare page", page, "0 / 0（&#43;2 非应报 not due）")

	var d branch.OutletDetail
	getJSON(t, c, "/api/v1/outlets/SY009?days=30", &d)
	if d.DaysDue != 0 || d.DueReported != 0 || len(d.MissingDays) != 0 || !d.Days[0].BeforeEnrollment || d.Days[29].BeforeEnrollment {
		t.Fatalf("the new outlet's page: due %d, reported %d, missing %v", d.DaysDue, d.DueReported, d.MissingDays)
	}
	_, page = c.Get("/console/outlets/SY009")
	contains(t, "the new outlet's page", page, `<span class="n">0 / 0</span>`, "接入前 before joining the branch")
	if strings.Contains(page, "未上报 no report") {
		t.Error("days before the outlet joined are shown as missing reports")
	}
	var a branch.Assessment
	getJSON(t, c, "/api/v1/assessment?month=2026-11", &a)
	for _, row := range a.Outlets {
		if row.Code == "SY009" && len(row.Flags) != 0 {
			t.Fatalf("the new outlet is flagged: %+v", row.Flags)
		}
	}
}

// TestConsolePagesShowTheirDefaults: an address the console cannot read
// shows the page's default view with the problem in both languages;
// Activities shows the last 30 days, not today alone.
func TestConsolePagesShowTheirDefaults(t *testing.T) {
	apptest.ForEachBranchBackend(t, testConsolePagesShowTheirDefaults)
}

func testConsolePagesShowTheirDefaults(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)
	resp, body := c.Get("/console/reports?month=2026-13")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("month 13: %d", resp.StatusCode)
	}
	contains(t, "the reports page of month 13", body, `月份 &#34;2026-13&#34; 应形如 2026-11 / month`, "2026-10")
	resp, body = c.Get("/console/compare?from=2026-11-30&to=2026-11-01")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a range backwards: %d", resp.StatusCode)
	}
	contains(t, "the compare page of a range backwards", body, "开始日期晚于结束日期 /", `id="compare-table"`)

	cr.clock.Set(time.Date(2026, 12, 1, 9, 0, 0, 0, apptest.Shanghai))
	c, _ = cr.consoleClient(t, "viewer1", viewerPassword)
	_, body = c.Get("/console/activities")
	contains(t, "the activities page on December 1st", body, `value="2026-11-02"`, `value="2026-12-01"`)
}
