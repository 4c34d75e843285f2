package app_test

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/branch/branchseed"
	"harbor/config"
)

// TestInflationIsFlagged is issue 11's inflation scenario: a seeded
// network of twelve honest outlets, one of which (N07) has a script post
// 240 check-ins a day from one address, without cookies, day and night,
// in bursts, from the 10th on. Exactly N07 is flagged, for each signal, in
// the day's overview and in the month's assessment and workbook, in words
// that compare it with the network, each flag linking to an outlet-day.
func TestInflationIsFlagged(t *testing.T) { apptest.ForEachBranchBackend(t, testInflationIsFlagged) }

func testInflationIsFlagged(t *testing.T, cfg config.Branch) {
	clock := apptest.NewClock(time.Date(2026, 11, 1, 9, 0, 0, 0, apptest.Shanghai))
	b := apptest.NewBranchAt(t, cfg, clock)
	var codes []string
	for i := 1; i <= 12; i++ {
		codes = append(codes, fmt.Sprintf("N%02d", i))
	}
	outlets := b.EnrollMany(codes...)
	clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, apptest.Shanghai))
	for d := 1; d <= 24; d++ {
		for i, o := range outlets {
			r := branchseed.Report(o.Code, day(d), 1, i+1)
			if o.Code == "N07" && d >= 10 {
				r = branchseed.Inflated(r, 240)
			}
			b.MustPush(o, r)
		}
	}
	c := viewerClient(t, b)
	signals := []string{branch.FlagTopAddress, branch.FlagCookieless, branch.FlagOffHours, branch.FlagBursts}

	// A day of it: only N07 is flagged, for every signal.
	var ov branch.Overview
	getJSON(t, c, "/api/v1/overview?day=2026-11-12", &ov)
	for _, o := range ov.Outlets {
		got := flagList(o.Flags)
		if want := strings.Join(expected(o.Code, signals), " "); got != want {
			t.Errorf("overview: %s is flagged %q, want %q", o.Code, got, want)
		}
	}
	_, body := c.Get("/console/overview?day=2026-11-12")
	if !strings.Contains(body, "的登记来自同一地址，全网中位数") || !strings.Contains(body, `href="/console/outlets/N07/days/2026-11-12"`) {
		t.Error("the overview does not say what it saw, linked to the outlet-day")
	}
	var d branch.OutletDayDetail
	getJSON(t, c, "/api/v1/outlets/N07/days/2026-11-12", &d)
	if len(d.Flags) != 4 || len(d.Network) != 4 || d.Network[0].Share == nil || *d.Network[0].Share < 0.5 ||
		d.Network[0].Median > 0.1 || d.Network[0].Outlets != 12 {
		t.Fatalf("the outlet-day of N07: flags %+v, network %+v", d.Flags, d.Network)
	}
	// Before the script, N07 was honest.
	var before branch.Overview
	getJSON(t, c, "/api/v1/overview?day=2026-11-09", &before)
	for _, o := range before.Outlets {
		if len(o.Flags) > 0 {
			t.Errorf("the 9th: %s is flagged %q", o.Code, flagList(o.Flags))
		}
	}

	// The month: only N07, each signal flag in words beside the network,
	// linking to its strongest day.
	var a branch.Assessment
	getJSON(t, c, "/api/v1/assessment?month=2026-11", &a)
	for _, o := range a.Outlets {
		if got, want := flagList(o.Flags), strings.Join(expected(o.Code, signals), " "); got != want {
			t.Errorf("assessment: %s is flagged %q, want %q", o.Code, got, want)
		}
		for _, f := range o.Flags {
			if f.Day < "2026-11-10" || !strings.Contains(f.Text, "network median") {
				t.Errorf("%s flag %s: day %q, text %q", o.Code, f.Code, f.Day, f.Text)
			}
		}
	}
	if a.Flagged != 1 {
		t.Fatalf("%d outlets flagged, want 1", a.Flagged)
	}
	resp, body := c.Get("/console/reports.xlsx?month=2026-11")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("workbook: %d", resp.StatusCode)
	}
	tables := readWorkbook(t, []byte(body))
	// (The sheet read back keeps one row per outlet: N07's last flag.)
	if ft := tables["核查 Flags"]; len(ft.rows) != 1 || !strings.Contains(ft.cell("N07", "说明"), "; network median 0 %") ||
		!strings.Contains(ft.cell("N07", "链接"), "http://branch.test/console/outlets/N07/days/2026-11-") {
		t.Fatalf("flags sheet: %v", ft.rows)
	}
	ot := tables["网点 Outlets"]
	share, err := strconv.ParseFloat(strings.TrimSuffix(ot.cell("N07", "最忙地址占比"), "%"), 64)
	if err != nil || share < 40 {
		t.Errorf("N07's busiest address share reads %q", ot.cell("N07", "最忙地址占比"))
	}
}

// expected is the flags outlet code should carry: signals for N07, none
// for the honest ones.
func expected(code string, signals []string) []string {
	if code != "N07" {
		return nil
	}
	out := append([]string{}, signals...)
	sort.Strings(out)
	return out
}

// flagList is the flags' codes, sorted.
func flagList(flags []branch.Flag) string {
	var codes []string
	for _, f := range flags {
		codes = append(codes, f.Code)
	}
	sort.Strings(codes)
	return strings.Join(codes, " ")
}

// viewerClient is a browser logged in to b's console as a new viewer.
func viewerClient(t *testing.T, b *apptest.Branch) *apptest.Client {
	t.Helper()
	b.AddUser("viewer1", "viewer", viewerPassword)
	c := apptest.NewClient(t, b.HTTP, "10.1.0.1")
	apptest.ConsoleLogin(t, c, "viewer1", viewerPassword)
	return c
}
