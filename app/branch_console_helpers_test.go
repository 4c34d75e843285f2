package app_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/config"
	"harbor/models"
)

const (
	adminPassword  = "admin-pass-1"
	viewerPassword = "viewer-pass-1"
)

// crafted is a branch holding November reports of three outlets, all
// enrolled on 2026-11-01, with the clock at 2026-11-25 10:00:
//   - SY001 (张湾) reported every day 1-24, an ordinary sample;
//   - SY002 (张湾) missed the 10th and 11th, and staff recorded 90% of its
//     check-ins (assisted);
//   - SY003 (茅箭) stopped after the 20th and was last heard of on the 21st.
type crafted struct {
	b       *apptest.Branch
	clock   *apptest.Clock
	outlets map[string]apptest.TestOutlet
	reports []models.Report
}

func craft(t *testing.T, cfg config.Branch) *crafted {
	t.Helper()
	clock := apptest.NewClock(time.Date(2026, 11, 1, 9, 0, 0, 0, apptest.Shanghai))
	cr := &crafted{b: apptest.NewBranchAt(t, cfg, clock), clock: clock, outlets: map[string]apptest.TestOutlet{}}
	for _, o := range [][3]string{{"SY001", "十堰分行营业部", "张湾"}, {"SY002", "车城路支行", "张湾"}, {"SY003", "人民路支行", "茅箭"}} {
		cr.outlets[o[0]] = cr.b.EnrollOutletIn(o[0], o[1], o[2])
	}
	clock.Set(time.Date(2026, 11, 21, 9, 0, 0, 0, apptest.Shanghai))
	for d := 1; d <= 20; d++ {
		cr.push("SY003", day(d), 1, 3)
	}
	clock.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, apptest.Shanghai))
	for d := 1; d <= 24; d++ {
		cr.push("SY001", day(d), 1, 1)
		if d != 10 && d != 11 {
			r := apptest.SampleReport("SY002", day(d), 1, 1)
			r.Channels = models.ChannelCounts{Live: 1, Assisted: 9}
			cr.pushReport(r)
		}
	}
	cr.b.AddUser("admin1", models.RoleAdmin, adminPassword)
	cr.b.AddUser("viewer1", models.RoleViewer, viewerPassword)
	return cr
}

func day(d int) string { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC).Format(models.DayLayout) }

func (cr *crafted) push(code, day string, revision, n int) {
	cr.pushReport(apptest.SampleReport(code, day, revision, n))
}

func (cr *crafted) pushReport(r models.Report) {
	cr.b.MustPush(cr.outlets[r.Outlet], r)
	cr.reports = append(cr.reports, r)
}

// sum adds up the current reports pushed for days from..to (the latest
// revision of each outlet and day counts).
func (cr *crafted) sum(from, to string, keep func(models.Report) bool) (checkIns, visitorDays, assisted, days int) {
	latest := map[string]models.Report{}
	for _, r := range cr.reports {
		if cur, ok := latest[r.Outlet+r.Day]; !ok || r.Revision > cur.Revision {
			latest[r.Outlet+r.Day] = r
		}
	}
	for _, r := range latest {
		if r.Day >= from && r.Day <= to && (keep == nil || keep(r)) {
			checkIns += r.Totals.CheckIns
			visitorDays += r.Totals.Visitors
			assisted += r.Channels.Assisted
			days++
		}
	}
	return
}

// consoleClient is a browser-like client logged in to the console.
func (cr *crafted) consoleClient(t *testing.T, name, password string) (*apptest.Client, string) {
	t.Helper()
	c := apptest.NewClient(t, cr.b.HTTP, "10.1.0.1")
	return c, apptest.ConsoleLogin(t, c, name, password)
}

// getJSON fetches target with c and decodes a 200 answer into v.
func getJSON(t *testing.T, c *apptest.Client, target string, v any) {
	t.Helper()
	resp, body := c.Get(target)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", target, resp.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v: %s", target, err, body)
	}
}
