package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/cli"
	"harbor/models"
)

// TestOutletOfflineForAMonthGetsEveryScan: the outlet is stopped while 500
// scans arrive at the gateway over 30 simulated days (its credential
// expires meanwhile; the gateway keeps serving its pages for the retention
// window). Back, it receives everything in order, and each scan counts
// once, on its own day in the outlet's zone.
func TestOutletOfflineForAMonthGetsEveryScan(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	cfg := o.Cfg
	o.Close()

	start := time.Date(2026, 11, 1, 0, 0, 0, 0, apptest.Shanghai)
	want := map[string]int{}
	const scans, days = 500, 30
	amenities := []string{"water", "hot_water", "phone_charging", "toilet", "rest"}
	for i := range scans {
		// Spread over the days and the hours, the last of a day at 23:5x.
		at := start.Add(time.Duration(i) * days * 24 * time.Hour / scans).Add(time.Duration(i%7) * time.Minute)
		g.clock.Set(at)
		day, _ := models.LocalDay(at, apptest.Shanghai)
		want[day]++
		phone := apptest.NewClient(t, g.gw.Public, fmt.Sprintf("100.65.%d.%d", i/200, i%200))
		gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {amenities[i%len(amenities)]}})
	}

	g.clock.Set(start.AddDate(0, 0, days).Add(9 * time.Hour))
	back := apptest.NewOutletAt(t, cfg, g.clock)
	if got := pullAll(t, back); got[outlet.OutcomeRecorded] != scans {
		t.Fatalf("outcomes %v, want %d recorded", got, scans)
	}
	for day, n := range want {
		if r := report(t, back, day); r.Totals.CheckIns != n || r.Paths == nil || r.Paths.Gateway != n {
			t.Errorf("%s: %d check-ins (paths %+v), want %d", day, r.Totals.CheckIns, r.Paths, n)
		}
	}
	var unordered int
	if err := back.Svc.DB().Read.Raw(`SELECT COUNT(*) FROM checkins a JOIN checkins b ON b.id = a.id + 1 WHERE b.at < a.at`).
		Scan(&unordered).Error; err != nil || unordered != 0 {
		t.Fatalf("%d check-ins applied out of order (%v)", unordered, err)
	}
	if got := pullAll(t, back); got[outlet.OutcomeRecorded] != 0 {
		t.Fatalf("a second pull applied %v", got)
	}
}

// TestRestoredOutletPullsAgainFromItsOlderCursor: an outlet restored from
// a backup has the cursor of the backup; the gateway still holds the items
// it acknowledged since (retention), so the outlet applies again exactly
// what its database lost, and the items before the backup count once. After
// the retention window the gateway deletes what was acknowledged.
func TestRestoredOutletPullsAgainFromItsOlderCursor(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	scan := func(ip string) {
		phone := apptest.NewClient(t, g.gw.Public, ip)
		gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {"water"}})
	}
	for _, ip := range []string{"100.66.0.1", "100.66.0.2", "100.66.0.3"} {
		scan(ip)
	}
	pullAll(t, o)
	dest := filepath.Join(t.TempDir(), "backup.db")
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"outlet", "backup", dest, "--data-dir", o.Cfg.DataDir},
		cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("backup: %s", errOut.String())
	}
	for _, ip := range []string{"100.66.1.1", "100.66.1.2", "100.66.1.3", "100.66.1.4"} {
		scan(ip)
	}
	pullAll(t, o)
	if r := report(t, o, "2026-11-25"); r.Totals.CheckIns != 7 {
		t.Fatalf("before the restore: %+v", r.Totals)
	}

	cfg := o.Cfg
	o.Close()
	for _, f := range []string{"outlet.db", "outlet.db-wal", "outlet.db-shm"} {
		os.Remove(filepath.Join(cfg.DataDir, f))
	}
	copyFile(t, dest, filepath.Join(cfg.DataDir, "outlet.db"))
	r := apptest.NewOutletAt(t, cfg, g.clock)
	got := pullAll(t, r)
	if got[outlet.OutcomeRecorded] != 4 {
		t.Fatalf("the restored outlet applied %v, want the 4 items its database lost", got)
	}
	if rep := report(t, r, "2026-11-25"); rep.Totals.CheckIns != 7 || rep.Totals.Visitors != 7 {
		t.Fatalf("after the restore: %+v, want 7 check-ins by 7 visitors", rep.Totals)
	}

	g.clock.Advance(36 * 24 * time.Hour)
	pullAll(t, r) // acknowledges everything
	if n, err := g.gw.Svc.Purge(context.Background()); err != nil || n != 7 {
		t.Fatalf("purged %d (%v), want the 7 acknowledged items past the retention window", n, err)
	}
	if n := inboxItems(t, g); n != 0 {
		t.Fatalf("%d items left", n)
	}
}
