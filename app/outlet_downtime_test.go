package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/cli"
	"harbor/config"
)

// TestDowntimeShowsAsDown is issue 11's downtime scenario: an outlet open
// 8:00-18:00 serves on the 26th, stops at noon on the 27th and is started
// again at 11:00 on the 30th. The days it was stopped reach the branch as
// down, never as a plain zero, with a flag, in every view: the overview,
// the outlet page, the outlet-day page, the summary JSON of 'harbor branch
// summary', and the monthly and quarterly workbooks.
func TestDowntimeShowsAsDown(t *testing.T) { apptest.ForEachBranchBackend(t, testDowntimeShowsAsDown) }

func testDowntimeShowsAsDown(t *testing.T, cfg config.Branch) {
	n := newNetworkOn(t, cfg)
	ctx := context.Background()
	o := n.addOutlet("SY001", n.url)
	if err := o.Svc.SetOpeningHours(ctx, "每天 8:00-18:00"); err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, apptest.Shanghai) }
	// serve runs o from..to, its heartbeat beating every 2 hours (a gap
	// up to 3 hours counts as served, so that a day takes a dozen beats).
	serve := func(o *apptest.Outlet, from, to time.Time) {
		o.Heartbeat.MaxGap = 3 * time.Hour
		for now := from; ; now = now.Add(2 * time.Hour) {
			if now.After(to) {
				now = to
			}
			n.clock.Set(now)
			if err := o.Heartbeat.Beat(ctx); err != nil {
				t.Fatal(err)
			}
			if now.Equal(to) {
				return
			}
		}
	}
	serve(o, at(25, 10), at(26, 10))
	checkIn(t, o, "10.0.0.1", []string{"water"}, "")
	serve(o, at(26, 10), at(27, 12))
	pushAll(t, o, 3)
	cfgOutlet := o.Cfg
	o.Close() // stopped for three days and a half

	o = apptest.NewOutletAt(t, cfgOutlet, n.clock)
	o.Reporter.BackoffBase, o.Reporter.BackoffCap = time.Millisecond, 10*time.Millisecond
	serve(o, at(30, 11), at(30, 20))
	checkIn(t, o, "10.0.0.2", []string{"water"}, "")
	serve(o, at(30, 20), time.Date(2026, 12, 1, 0, 10, 0, 0, apptest.Shanghai))
	pushAll(t, o, 3)

	want := map[string]string{"2026-11-25": branch.DayUnknown, "2026-11-26": branch.DayServed,
		"2026-11-27": branch.DayPartlyDown, "2026-11-28": branch.DayDown, "2026-11-29": branch.DayDown,
		"2026-11-30": branch.DayPartlyDown}
	c := viewerClient(t, n.branch)

	// The outlet page: every day's status.
	var d branch.OutletDetail
	getJSON(t, c, "/api/v1/outlets/SY001?days=7", &d)
	for _, day := range d.Days {
		if w, ok := want[day.Day]; ok && day.Status != w {
			t.Errorf("outlet page: %s is %s, want %s (%+v)", day.Day, day.Status, w, day)
		}
	}
	_, body := c.Get("/console/outlets/SY001?days=30")
	if !strings.Contains(body, `id="d-2026-11-28" class="warn"`) || !strings.Contains(body, "停机 down") {
		t.Error("the outlet page does not show the 28th as down")
	}

	// The overview of the 28th: down, flagged, with a link to the day.
	var ov branch.Overview
	getJSON(t, c, "/api/v1/overview?day=2026-11-28", &ov)
	row := ov.Outlets[0]
	if row.DayStatus != branch.DayDown || row.CheckIns != 0 || len(row.Flags) != 1 || row.Flags[0].Code != branch.FlagCoverage ||
		ov.DayStatuses.Down != 1 || ov.Attention != 1 {
		t.Fatalf("overview of the 28th: %+v, row %+v", ov.DayStatuses, row)
	}
	_, body = c.Get("/console/overview?day=2026-11-28")
	for _, s := range []string{"2026-11-28 全天停机", `href="/console/outlets/SY001/days/2026-11-28"`, `<tr class="warn" data-outlet="SY001">`} {
		if !strings.Contains(body, s) {
			t.Errorf("the overview lacks %q", s)
		}
	}
	resp, body := c.Get("/console/outlets/SY001/days/2026-11-27")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "部分停机 partly down") || !strings.Contains(body, `id="day-coverage">40%<`) {
		t.Errorf("the outlet-day page of the 27th: %d", resp.StatusCode)
	}

	// The summary JSON of the command line.
	var out, errOut bytes.Buffer
	args := append([]string{"branch", "summary", "--day", "2026-11-29"}, branchDBArgs(cfg)...)
	if code := cli.Main(ctx, args, cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("summary: %s", errOut.String())
	}
	var sum branch.Summary
	if err := json.Unmarshal(out.Bytes(), &sum); err != nil || len(sum.Outlets) != 1 || sum.Outlets[0].DayStatus != branch.DayDown ||
		len(sum.Outlets[0].Flags) != 1 || sum.DayStatuses.Down != 1 {
		t.Fatalf("summary of the 29th: %v %s", err, out.String())
	}

	// The month's and the quarter's workbooks.
	for _, q := range []string{"month=2026-11", "quarter=2026Q4"} {
		resp, body := c.Get("/console/reports.xlsx?" + q)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", q, resp.StatusCode)
		}
		tables := readWorkbook(t, []byte(body))
		ot := tables["网点 Outlets"]
		got := []string{ot.cell("SY001", "正常服务天数"), ot.cell("SY001", "部分停机天数"), ot.cell("SY001", "停机天数"),
			ot.cell("SY001", "覆盖未知天数"), ot.cell("SY001", "缺报天数")}
		if strings.Join(got, " ") != "1 2 2 1 0" || !strings.Contains(ot.cell("SY001", "核查提示"), "停机 2 天，部分停机 2 天") {
			t.Errorf("%s: served / partly down / down / unknown / missing %v, flags %q", q, got, ot.cell("SY001", "核查提示"))
		}
		if ft := tables["核查 Flags"]; !strings.Contains(ft.cell("SY001", "链接"), "/console/outlets/SY001/days/2026-11-27") {
			t.Errorf("%s: the flag does not link to the first day down: %v", q, ft.rows)
		}
	}
}

// branchDBArgs point a branch command at cfg's database.
func branchDBArgs(cfg config.Branch) []string {
	if cfg.DBDriver == config.DriverPostgres {
		return []string{"--db", cfg.DB}
	}
	return []string{"--data-dir", cfg.DataDir}
}
