package app_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/models"
)

// TestOutletCountsSignals: the outlet counts the signals of a day from
// what it sees, and only aggregates leave it: a script posting from one
// address with a fresh cookie each time (the busiest address, a burst
// minute), a phone at night (off hours). The busiest address's count
// survives a restart (issue 11, signals).
func TestOutletCountsSignals(t *testing.T) {
	o := newOutlet(t)
	ctx := context.Background()
	if err := o.Svc.SetOpeningHours(ctx, "每天 8:00-18:00"); err != nil {
		t.Fatal(err)
	}
	post := func(o *apptest.Outlet, ip string) {
		c := apptest.NewClient(t, o.HTTP, ip)
		c.Cookies["hv"] = outlet.NewVisitorID()
		submitStation(t, c, o, url.Values{"a": {"water"}})
	}
	for i := 0; i < 10; i++ {
		post(o, fmt.Sprintf("10.0.0.%d", i+1))
		o.Clock.Advance(10 * time.Second)
	}
	o.Clock.Set(time.Date(2026, 11, 25, 10, 5, 0, 0, apptest.Shanghai))
	for i := 0; i < 15; i++ {
		post(o, "10.0.0.99")
	}
	o.Clock.Set(time.Date(2026, 11, 25, 21, 0, 0, 0, apptest.Shanghai))
	post(o, "10.0.0.50")

	want := models.Signals{OffHours: 1, BusiestMinute: 15, BusiestAt: "10:05", BurstLimit: outlet.BurstLimit,
		BurstCheckIns: 15, TopAddress: 15}
	if r := report(t, o, "2026-11-25"); r.Signals == nil || *r.Signals != want || r.Totals.CheckIns != 26 {
		t.Fatalf("signals %+v of %d check-ins, want %+v", r.Signals, r.Totals.CheckIns, want)
	}

	cfg := o.Cfg
	o.Close()
	o = apptest.NewOutletAt(t, cfg, o.Clock)
	post(o, "10.0.0.99")
	want.TopAddress, want.OffHours = 16, 2 // still 21:00
	r := report(t, o, "2026-11-25")
	if r.Signals == nil || *r.Signals != want {
		t.Fatalf("after a restart: signals %+v, want %+v", r.Signals, want)
	}
	if rc, err := o.Svc.RecountReport(ctx, "2026-11-25"); err != nil || *rc.Signals != *r.Signals {
		t.Fatalf("recount %+v (%v)", rc.Signals, err)
	}
}
