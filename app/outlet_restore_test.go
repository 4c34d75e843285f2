package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/cli"
	"harbor/models"
)

// TestRestoredOutletConvergesAtTheBranch is the restore of DEPLOY.md after
// more pushes: backup, more check-ins delivered, restore, new check-ins,
// push. The branch ends up equal to the outlet on every day, and staff read
// what happened (issue 11, item 1).
func TestRestoredOutletConvergesAtTheBranch(t *testing.T) {
	n := newNetwork(t)
	o := n.addOutlet("SY001", n.url)
	o.AddStaff("clerk", "staff", testPassword)
	at := func(day, hour, minute int) {
		n.clock.Set(time.Date(2026, 11, day, hour, minute, 0, 0, apptest.Shanghai))
	}
	visit := func(o *apptest.Outlet, ip string) { checkIn(t, o, ip, []string{"water"}, "") }
	visit(o, "10.0.0.1")
	visit(o, "10.0.0.2")
	visit(o, "10.0.0.3")
	pushAll(t, o, 3)
	dest := filepath.Join(t.TempDir(), "backup.db")
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"outlet", "backup", dest, "--data-dir", o.Cfg.DataDir},
		cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("backup: %s", errOut.String())
	}

	// After the backup, all delivered: two more visits on the 25th, each
	// in a snapshot of its own, an activity logged for the 25th on the
	// 26th, and four visits on the 26th in two snapshots.
	at(25, 10, 30)
	visit(o, "10.0.1.1")
	pushAll(t, o, 3)
	at(25, 11, 0)
	visit(o, "10.0.1.2")
	pushAll(t, o, 3)
	at(26, 10, 0)
	if _, err := o.Svc.AddActivity(context.Background(), models.Activity{Day: "2026-11-25", Theme: "反诈宣传",
		Venue: "outlet", Participants: 12, Staff: "clerk"}); err != nil {
		t.Fatal(err)
	}
	visit(o, "10.0.2.1")
	visit(o, "10.0.2.2")
	pushAll(t, o, 3)
	at(26, 10, 30)
	visit(o, "10.0.2.3")
	visit(o, "10.0.2.4")
	pushAll(t, o, 3)
	if got := branchCheckIns(t, n, "SY001"); got["2026-11-25"] != 5 || got["2026-11-26"] != 4 {
		t.Fatalf("before the restore the branch holds %v", got)
	}

	// The PC is restored from the backup (DEPLOY.md) and serves again;
	// one visit arrives.
	cfg := o.Cfg
	o.Close()
	for _, f := range []string{"outlet.db", "outlet.db-wal", "outlet.db-shm"} {
		os.Remove(filepath.Join(cfg.DataDir, f))
	}
	copyFile(t, dest, filepath.Join(cfg.DataDir, "outlet.db"))
	copyFile(t, dest+".branch.json", filepath.Join(cfg.DataDir, "branch.json"))
	at(26, 11, 0)
	r := apptest.NewOutletAt(t, cfg, n.clock)
	r.AddStaff("clerk2", "staff", testPassword)
	r.Reporter.BackoffBase, r.Reporter.BackoffCap = time.Millisecond, 10*time.Millisecond
	visit(r, "10.0.3.1")
	pushAll(t, r, 3)

	// The outlet's truth after the restore: 3 visits on the 25th (and no
	// activity), 1 on the 26th.
	if a, b := report(t, r, "2026-11-25"), report(t, r, "2026-11-26"); a.Totals.CheckIns != 3 || len(a.Activities) != 0 ||
		b.Totals.CheckIns != 1 {
		t.Fatalf("the restored outlet counts %+v and %+v", a.Totals, b.Totals)
	}
	for _, day := range []string{"2026-11-25", "2026-11-26"} {
		var branchBody, outletBody string
		n.branch.Svc.DB().Read.Raw(`SELECT body FROM reports WHERE outlet = 'SY001' AND day = ?`, day).Scan(&branchBody)
		r.Svc.DB().Read.Raw(`SELECT body FROM report_revisions WHERE day = ? ORDER BY revision DESC LIMIT 1`, day).Scan(&outletBody)
		if branchBody != outletBody {
			b, o := decodeReport(t, branchBody), decodeReport(t, outletBody)
			t.Errorf("%s: the branch holds revision %d (%d check-ins, %d activities), the outlet's latest is %d (%d, %d)",
				day, b.Revision, b.Totals.CheckIns, len(b.Activities), o.Revision, o.Totals.CheckIns, len(o.Activities))
		}
	}
	c := apptest.NewClient(t, r.HTTP, "10.0.9.9")
	apptest.StaffLogin(t, c, "clerk2", testPassword)
	_, body := c.Get("/staff/today")
	if !strings.Contains(body, `id="reporter-notice"`) {
		t.Fatal("Today should say that figures were sent again above the branch's revision")
	}
}

// branchCheckIns returns the branch's check-ins per day for outlet.
func branchCheckIns(t *testing.T, n *network, code string) map[string]int {
	t.Helper()
	var rows []struct {
		Day      string
		Checkins int
	}
	if err := n.branch.Svc.DB().Read.Raw(`SELECT day, checkins FROM reports WHERE outlet = ?`, code).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Day] = r.Checkins
	}
	return out
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// decodeReport parses a stored report body.
func decodeReport(t *testing.T, body string) models.Report {
	t.Helper()
	var r models.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	return r
}
