package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// TestConsoleOverview: the overview page and its JSON agree with the
// reports pushed; the missing and silent outlet stands out.
func TestConsoleOverview(t *testing.T) { apptest.ForEachBranchBackend(t, testConsoleOverview) }

func testConsoleOverview(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)
	var ov branch.Overview
	getJSON(t, c, "/api/v1/overview", &ov) // default: yesterday
	dayCheckIns, _, _, _ := cr.sum("2026-11-24", "2026-11-24", nil)
	monthCheckIns, monthVisitorDays, monthAssisted, _ := cr.sum("2026-11-01", "2026-11-24", nil)
	if ov.Day != "2026-11-24" || ov.DayTotals.CheckIns != dayCheckIns || ov.Reporting != 2 || ov.Enrolled != 3 ||
		ov.MonthTotals.CheckIns != monthCheckIns || ov.MonthTotals.VisitorDays != monthVisitorDays ||
		ov.MonthTotals.Channels.Assisted != monthAssisted || ov.Attention != 1 || len(ov.Trend) != branch.TrendDays {
		t.Fatalf("overview: %+v", ov)
	}
	last := ov.Outlets[len(ov.Outlets)-1]
	if last.Code != "SY003" || !last.Missing || !last.Silent || last.MonthCheckIns != 600 {
		t.Fatalf("SY003 should rank last, missing and silent: %+v", last)
	}
	if ov.Trend[29].CheckIns != dayCheckIns || ov.Trend[29].Day != "2026-11-24" {
		t.Fatalf("trend ends on the day: %+v", ov.Trend[29])
	}
	resp, body := c.Get("/console/overview?day=2026-11-24")
	for _, want := range []string{`id="day-checkins">20<`, `id="reporting">2 / 3<`, `id="attention">1<`,
		`<tr class="warn" data-outlet="SY003">`, "缺报 missing", "失联 silent", `id="trend-chart"`, `id="amenity-chart"`,
		`href="/console/outlets/SY002"`, "饮用水", "环卫工人"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("overview page lacks %q (%d)", want, resp.StatusCode)
		}
	}
	if strings.Contains(body, `<tr class="warn" data-outlet="SY001">`) {
		t.Fatal("SY001 reported and is in touch: it must not stand out")
	}
}

// TestConsoleOutletPage: one outlet's figures, missing days and history.
func TestConsoleOutletPage(t *testing.T) { apptest.ForEachBranchBackend(t, testConsoleOutletPage) }

func testConsoleOutletPage(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	cr.push("SY002", "2026-11-24", 2, 2) // a revision: the history shows both pushes
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)
	var d branch.OutletDetail
	getJSON(t, c, "/api/v1/outlets/SY002?days=30", &d)
	want, wantVD, _, days := cr.sum("2026-10-27", "2026-11-25", func(r models.Report) bool { return r.Outlet == "SY002" })
	if len(d.Days) != 30 || d.Totals.CheckIns != want || d.Totals.VisitorDays != wantVD || d.Totals.Days != days ||
		d.DaysDue != 24 || strings.Join(d.MissingDays, ",") != "2026-11-10,2026-11-11" {
		t.Fatalf("outlet detail: days %d totals %+v due %d missing %v", len(d.Days), d.Totals, d.DaysDue, d.MissingDays)
	}
	if len(d.Receipts) != 23 || d.Receipts[0].Revision != 2 || d.Receipts[0].Outcome != "replaced" {
		t.Fatalf("report history, newest first: %+v", d.Receipts[:2])
	}
	if len(d.Activities) != 22 || d.Activities[0].Participants != 14 {
		t.Fatalf("activities: %d %+v", len(d.Activities), d.Activities[:1])
	}
	resp, body := c.Get("/console/outlets/SY002?days=90")
	for _, want := range []string{`id="outlet-title">SY002 车城路支行`, `id="missing-days"`, "2026-11-11", "更新 replaced",
		"近90天 90 days", `id="trend-chart"`, "反诈宣传"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("outlet page lacks %q (%d)", want, resp.StatusCode)
		}
	}
	if resp, _ := c.Get("/console/outlets/NOPE"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown outlet: %d", resp.StatusCode)
	}
}

// TestConsoleCompareAndActivities: outlets and groups side by side, and
// the activities across the network.
func TestConsoleCompareAndActivities(t *testing.T) {
	apptest.ForEachBranchBackend(t, testConsoleCompareAndActivities)
}

func testConsoleCompareAndActivities(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)
	var cmp branch.Comparison
	q := url.Values{"from": {"2026-11-01"}, "to": {"2026-11-24"}, "outlet": {"SY003"}, "group": {"张湾"}}
	getJSON(t, c, "/api/v1/compare?"+q.Encode(), &cmp)
	zhangwan, _, _, _ := cr.sum("2026-11-01", "2026-11-24", func(r models.Report) bool { return r.Outlet != "SY003" })
	if len(cmp.Columns) != 2 || cmp.Columns[0].Key != "SY003" || cmp.Columns[0].Totals.CheckIns != 600 ||
		cmp.Columns[1].Outlets != 2 || cmp.Columns[1].Totals.CheckIns != zhangwan || cmp.Columns[1].DaysDue != 48 {
		t.Fatalf("compare: %+v", cmp.Columns)
	}
	resp, body := c.Get("/console/compare?" + q.Encode())
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `id="compare-table"`) || !strings.Contains(body, "人民路支行") {
		t.Fatalf("compare page: %d", resp.StatusCode)
	}
	var acts branch.ActivitySummary
	getJSON(t, c, "/api/v1/activities?from=2026-11-01&to=2026-11-30", &acts)
	if acts.Activities != 66 || acts.Participants != 24*7+22*7+20*21 || acts.TookPart != 3 || acts.Enrolled != 3 ||
		len(acts.ByVenue) != 1 || acts.ByVenue[0].Activities != 66 || len(acts.List) != 66 {
		t.Fatalf("activities: %+v", acts)
	}
	if resp, body := c.Get("/console/activities?from=2026-11-01&to=2026-11-30"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, `id="activity-outlets">3 / 3<`) {
		t.Fatalf("activities page: %d", resp.StatusCode)
	}
	if resp, _ := c.Get("/api/v1/compare?group=nowhere"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown group: %d", resp.StatusCode)
	}
}
