package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
)

// TestReportsUnderAnOldCodeAreReissued: an outlet serving as DEMO01 made a
// report, then was enrolled as SY004 from another process while it ran.
// The running reporter sends that day again under SY004, says so, and the
// days after it do not queue behind it (issue 11, item 5).
func TestReportsUnderAnOldCodeAreReissued(t *testing.T) {
	n := newNetwork(t)
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader = "X-Forwarded-For"
	o := apptest.NewOutletAt(t, cfg, n.clock)
	o.AddStaff("clerk", "staff", testPassword)
	ctx := context.Background()
	checkIn(t, o, "10.0.0.1", []string{"water"}, "courier")
	if err := o.Reporter.Cycle(ctx); err != nil { // a DEMO01 revision waits in the outbox
		t.Fatal(err)
	}

	// 'harbor outlet enroll' in another process, as the server runs.
	cli, err := outlet.Open(ctx, cfg, n.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	ec, err := n.branch.Svc.AddOutlet(ctx, "SY004", "网点 SY004", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Enroll(ctx, n.url, ec.Code, http.DefaultClient); err != nil {
		t.Fatal(err)
	}
	cli.Close()

	sent, err := o.Reporter.DeliverNow(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, d := range sent {
		outcomes = append(outcomes, d.Outcome)
		if d.Outcome == "failed" {
			t.Fatalf("a report made under the old code blocked the queue: %+v", sent)
		}
	}
	if strings.Join(outcomes, ",") != "reissued,accepted" || !strings.Contains(sent[0].Note, "DEMO01") {
		t.Fatalf("deliveries %+v", sent)
	}
	if got := branchReports(t, n, "SY004"); got["2026-11-25"] == 0 {
		t.Fatalf("the branch holds %v for SY004", got)
	}
	var checkIns int
	n.branch.Svc.DB().Read.Raw(`SELECT checkins FROM reports WHERE outlet = 'SY004' AND day = '2026-11-25'`).Scan(&checkIns)
	if checkIns != 1 {
		t.Fatalf("the branch counts %d check-ins under SY004, want 1", checkIns)
	}

	// The next day is not held up, and staff read what happened.
	n.clock.Set(time.Date(2026, 11, 26, 10, 0, 0, 0, apptest.Shanghai))
	checkIn(t, o, "10.0.0.2", []string{"tea"}, "")
	pushAll(t, o, 3)
	if got := branchReports(t, n, "SY004"); len(got) != 2 {
		t.Fatalf("the branch holds %v for SY004, want both days", got)
	}
	c := apptest.NewClient(t, o.HTTP, "10.0.0.3")
	apptest.StaffLogin(t, c, "clerk", testPassword)
	_, body := c.Get("/staff/today")
	if !strings.Contains(body, `id="reporter-notice"`) || !strings.Contains(body, "DEMO01") {
		t.Fatal("Today should say that a report was sent again under the new code")
	}
}

// TestReportsForAnotherCodeAreSetAside: an outlet enrolled as SY004 but
// serving as DEMO01 makes its reports for DEMO01; they are set aside with a
// message instead of blocking the outbox. Today's harbor refuses to start
// an enrolled outlet under another code (--outlet-code is checked against
// the recorded one), so the test makes the state an older harbor allowed
// by rewriting the recorded code.
func TestReportsForAnotherCodeAreSetAside(t *testing.T) {
	n := newNetwork(t)
	o := n.addOutlet("SY004", n.url)
	cfg := o.Cfg
	if err := o.Svc.DB().Write.Exec(`UPDATE settings SET value = 'DEMO01' WHERE key = 'outlet_code'`).Error; err != nil {
		t.Fatal(err)
	}
	o.Close()
	cfg.Code = ""
	o = apptest.NewOutletAt(t, cfg, n.clock)
	checkIn(t, o, "10.0.0.1", []string{"water"}, "")
	ctx := context.Background()
	if err := o.Reporter.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	sent, err := o.Reporter.DeliverNow(ctx)
	if err != nil || len(sent) != 1 || sent[0].Outcome != outlet.OutcomeSetAside {
		t.Fatalf("deliveries %+v, %v", sent, err)
	}
	st, _ := o.Svc.ReporterStatus(ctx)
	if st.Pending != 0 || !strings.Contains(st.LastError, "enrolled as SY004") {
		t.Fatalf("reporter %+v", st)
	}
}
