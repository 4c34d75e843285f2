package app_test

import (
	"testing"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
)

// TestOverviewMonthOpenFeedback: the month's open feedback is what each
// outlet still had open at the end of its latest reported day, added over
// outlets, as the workbook counts it (issue 11, item 4: it was always 0).
func TestOverviewMonthOpenFeedback(t *testing.T) {
	apptest.ForEachBranchBackend(t, testOverviewMonthOpenFeedback)
}

func testOverviewMonthOpenFeedback(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	for _, x := range []struct {
		code, day string
		open      int
	}{{"SY001", day(23), 5}, {"SY001", day(24), 3}, {"SY002", day(24), 4}, {"SY003", day(20), 2}} {
		r := apptest.SampleReport(x.code, x.day, 2, 1)
		r.Feedback.Open = x.open
		cr.pushReport(r)
	}
	c, _ := cr.consoleClient(t, "viewer1", viewerPassword)
	var ov branch.Overview
	getJSON(t, c, "/api/v1/overview?day=2026-11-24", &ov)
	if ov.DayTotals.Feedback.Open != 3+4 {
		t.Fatalf("day open feedback %d, want 7", ov.DayTotals.Feedback.Open)
	}
	// SY001 ends the month so far with 3 open, SY002 with 4, SY003 (last
	// reported on the 20th) with 2.
	if ov.MonthTotals.Feedback.Open != 3+4+2 {
		t.Fatalf("month open feedback %d, want 9", ov.MonthTotals.Feedback.Open)
	}
	var a branch.Assessment
	getJSON(t, c, "/api/v1/assessment?month=2026-11", &a)
	if a.Totals.Feedback.Open != ov.MonthTotals.Feedback.Open {
		t.Fatalf("the assessment counts %d open, the overview %d", a.Totals.Feedback.Open, ov.MonthTotals.Feedback.Open)
	}
}
