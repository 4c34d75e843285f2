package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/config"
	"harbor/models"
)

// network is a branch and its outlets on loopback, sharing one clock.
type network struct {
	t       *testing.T
	clock   *apptest.Clock
	branch  *apptest.Branch
	url     string // the branch's loopback URL
	outlets []*apptest.Outlet
}

func newNetwork(t *testing.T) *network { return newNetworkOn(t, apptest.BranchConfig(t)) }

// newNetworkOn is newNetwork with the branch on cfg (see ForEachBranchBackend).
func newNetworkOn(t *testing.T, cfg config.Branch) *network {
	clock := apptest.NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, apptest.Shanghai))
	b := apptest.NewBranchAt(t, cfg, clock)
	return &network{t: t, clock: clock, branch: b, url: apptest.ServeHTTP(t, b.HTTP)}
}

// addOutlet registers code at the branch and enrolls a new outlet through
// branchURL (the branch itself, or a proxy in front of it).
func (n *network) addOutlet(code, branchURL string) *apptest.Outlet {
	n.t.Helper()
	return n.addOutletAt(code, branchURL, n.clock)
}

// addOutletAt is addOutlet with the outlet on its own clock.
func (n *network) addOutletAt(code, branchURL string, clock *apptest.Clock) *apptest.Outlet {
	n.t.Helper()
	return n.addOutletWith(code, branchURL, clock, nil)
}

// addOutletWith is addOutletAt with the outlet's config changed by set
// (if not nil) before it starts.
func (n *network) addOutletWith(code, branchURL string, clock *apptest.Clock, set func(*config.Outlet)) *apptest.Outlet {
	n.t.Helper()
	cfg := apptest.OutletConfig(n.t)
	cfg.ProxyHeader = "X-Forwarded-For"
	if set != nil {
		set(&cfg)
	}
	o := apptest.NewOutletAt(n.t, cfg, clock)
	ec, err := n.branch.Svc.AddOutlet(context.Background(), code, "网点 "+code, "test", 0)
	if err != nil {
		n.t.Fatal(err)
	}
	if _, err := o.Svc.Enroll(context.Background(), n.url, ec.Code, http.DefaultClient); err != nil {
		n.t.Fatal(err)
	}
	if branchURL != n.url {
		pointLinkAt(n.t, cfg.DataDir, branchURL)
	}
	o.Reporter.BackoffBase, o.Reporter.BackoffCap = time.Millisecond, 10*time.Millisecond
	n.outlets = append(n.outlets, o)
	return o
}

// checkIn records one visit at o through the station form.
func checkIn(t *testing.T, o *apptest.Outlet, ip string, amenities []string, category string) {
	t.Helper()
	c := apptest.NewClient(t, o.HTTP, ip)
	submitStation(t, c, o, url.Values{"a": amenities, "c": {category}})
}

// pushAll snapshots and delivers until the outbox is empty or tries run
// out; with tries 0 it delivers once and does not require success.
func pushAll(t *testing.T, o *apptest.Outlet, tries int) {
	t.Helper()
	ctx := context.Background()
	if err := o.Reporter.Cycle(ctx); err != nil {
		t.Fatal(err)
	}
	if tries == 0 {
		_, err := o.Reporter.DeliverNow(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	for i := 0; i < tries; i++ {
		if _, err := o.Reporter.DeliverNow(ctx); err != nil {
			t.Fatal(err)
		}
		st, _ := o.Svc.ReporterStatus(ctx)
		if st.Pending == 0 {
			return
		}
	}
	st, _ := o.Svc.ReporterStatus(ctx)
	t.Fatalf("still %d pending after %d tries: %s", st.Pending, tries, st.LastError)
}

func TestReportsFromTwoOutletsAddUpAtTheBranch(t *testing.T) {
	n := newNetwork(t)
	a, b := n.addOutlet("SY001", n.url), n.addOutlet("SY002", n.url)
	checkIn(t, a, "10.0.0.1", []string{"water", "phone_charging"}, "courier")
	checkIn(t, a, "10.0.0.2", []string{"water"}, "sanitation")
	checkIn(t, b, "10.0.0.3", []string{"microwave", "water"}, "delivery")
	checkIn(t, b, "10.0.0.4", []string{"toilet"}, "")
	pushAll(t, a, 3)
	pushAll(t, b, 3)

	sum, err := n.branch.Svc.Summary(context.Background(), "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	raw, _ := json.Marshal(sum)
	json.Unmarshal(raw, &got)

	want := map[string]int{}
	for _, o := range []*apptest.Outlet{a, b} {
		r := report(t, o, "2026-11-25")
		want["checkins"] += r.Totals.CheckIns
		want["live"] += r.Channels.Live
		want["poster"] += r.Channels.Poster
		for _, x := range r.Amenities {
			want["amenity "+x.Code] += x.CheckIns
		}
		for _, x := range r.Categories {
			want["category "+x.Code] += x.CheckIns
		}
	}
	have := flattenSummary(t, raw)
	for k, v := range want {
		if have[k] != v {
			t.Errorf("%s: branch %d, outlets %d (summary %s)", k, have[k], v, raw)
		}
	}
	if want["checkins"] != 4 {
		t.Fatalf("outlets counted %d check-ins, want 4", want["checkins"])
	}
}

// flattenSummary reads the branch summary's totals into "checkins",
// "live", "amenity water", "category courier"... keys.
func flattenSummary(t *testing.T, raw []byte) map[string]int {
	t.Helper()
	var s struct {
		Total struct {
			CheckIns   int `json:"checkins"`
			Channels   models.ChannelCounts
			Amenities  []models.AmenityCount
			Categories []models.CategoryCount
		}
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{"checkins": s.Total.CheckIns, "live": s.Total.Channels.Live, "poster": s.Total.Channels.Poster}
	for _, x := range s.Total.Amenities {
		out["amenity "+x.Code] = x.CheckIns
	}
	for _, x := range s.Total.Categories {
		out["category "+x.Code] = x.CheckIns
	}
	return out
}

// branchReports returns the branch's current revision per day for outlet.
func branchReports(t *testing.T, n *network, code string) map[string]int {
	t.Helper()
	var rows []struct {
		Day      string
		Revision int
	}
	if err := n.branch.Svc.DB().Read.Raw(`SELECT day, revision FROM reports WHERE outlet = ? ORDER BY day`, code).
		Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Day] = r.Revision
	}
	return out
}

// outletLatest returns the outlet's latest revision per day.
func outletLatest(t *testing.T, o *apptest.Outlet) map[string]int {
	t.Helper()
	var rows []struct {
		Day      string
		Revision int
	}
	o.Svc.DB().Read.Raw(`SELECT day, MAX(revision) AS revision FROM report_revisions GROUP BY day`).Scan(&rows)
	out := map[string]int{}
	for _, r := range rows {
		out[r.Day] = r.Revision
	}
	return out
}

func TestThirtyDaysOfflineAreDeliveredInOrderOnce(t *testing.T) {
	n := newNetwork(t)
	proxy := apptest.NewFaultProxy(t, n.url, [5]int{0, 1, 0, 0, 0}) // the branch is unreachable
	o := n.addOutlet("SY001", proxy.URL)
	ctx := context.Background()
	start := n.clock.Now()
	for d := 0; d < 30; d++ {
		n.clock.Set(start.AddDate(0, 0, d))
		checkIn(t, o, fmt.Sprintf("10.0.1.%d", d), []string{"water"}, "courier")
		if err := o.Reporter.Cycle(ctx); err != nil {
			t.Fatal(err)
		}
		o.Reporter.DeliverDue(ctx, false)
	}
	n.clock.Set(start.AddDate(0, 0, 30)) // day 31: the 30 days are over
	st, _ := o.Svc.ReporterStatus(ctx)
	if st.Pending < 30 || st.LastError == "" || st.LastSuccess != nil {
		t.Fatalf("while offline: %+v", st)
	}
	proxy.SetWeights([5]int{1, 0, 0, 0, 0}) // the branch is back
	pushAll(t, o, 5)

	got := branchReports(t, n, "SY001")
	latest := outletLatest(t, o)
	if len(got) != 30 { // the running day 31 has no visits yet: nothing to report
		t.Fatalf("branch holds %d days, want 30", len(got))
	}
	for day, rev := range latest {
		if got[day] != rev {
			t.Errorf("%s: branch revision %d, outlet's latest %d", day, got[day], rev)
		}
	}
	receipts := n.branch.Receipts()
	var days []string
	for _, r := range receipts {
		days = append(days, r[6:16])
	}
	if !sort.StringsAreSorted(days) || len(receipts) != 30 {
		t.Fatalf("want one delivery per day in day order, got %v", receipts)
	}
}

func TestDeliveryThroughAFaultyNetwork(t *testing.T) {
	n := newNetwork(t)
	// pass, drop, delay, 500, cut response
	proxy := apptest.NewFaultProxy(t, n.url, [5]int{3, 2, 1, 2, 2})
	o := n.addOutlet("SY001", proxy.URL)
	ctx := context.Background()
	start := n.clock.Now()
	for d := 0; d < 8; d++ {
		n.clock.Set(start.AddDate(0, 0, d))
		for i := 0; i < 3; i++ {
			checkIn(t, o, fmt.Sprintf("10.0.%d.%d", d, i), []string{"water", "tea"}, "delivery")
		}
		o.Reporter.Cycle(ctx)
		for i := 0; i < 3; i++ {
			o.Reporter.DeliverNow(ctx)
		}
	}
	n.clock.Set(start.AddDate(0, 0, 8))
	pushAll(t, o, 200)
	if proxy.Counts[apptest.CutResponse].Load() == 0 || proxy.Counts[apptest.Drop].Load() == 0 {
		t.Fatalf("the proxy injected too few faults: cut %d, drop %d", proxy.Counts[apptest.CutResponse].Load(), proxy.Counts[apptest.Drop].Load())
	}
	got, latest := branchReports(t, n, "SY001"), outletLatest(t, o)
	if len(got) != len(latest) {
		t.Fatalf("branch %v, outlet %v", got, latest)
	}
	for day, rev := range latest {
		if got[day] != rev {
			t.Errorf("%s: branch revision %d, outlet's latest %d", day, got[day], rev)
		}
		var branchBody, outletBody string
		n.branch.Svc.DB().Read.Raw(`SELECT body FROM reports WHERE outlet = 'SY001' AND day = ?`, day).Scan(&branchBody)
		o.Svc.DB().Read.Raw(`SELECT body FROM report_revisions WHERE day = ? AND revision = ?`, day, rev).Scan(&outletBody)
		if branchBody != outletBody {
			t.Errorf("%s: the branch stored other bytes than the outlet sent", day)
		}
	}
}

func TestLateChangeMakesANewRevision(t *testing.T) {
	n := newNetwork(t)
	o := n.addOutlet("SY001", n.url)
	checkIn(t, o, "10.0.0.1", []string{"water"}, "")
	pushAll(t, o, 3)
	n.clock.Set(time.Date(2026, 11, 26, 0, 5, 0, 0, apptest.Shanghai)) // after midnight: final
	pushAll(t, o, 3)
	if rev := branchReports(t, n, "SY001")["2026-11-25"]; rev != 2 {
		t.Fatalf("after midnight the final report should be revision 2, branch has %d", rev)
	}
	var final bool
	n.branch.Svc.DB().Read.Raw(`SELECT final FROM reports WHERE day = '2026-11-25'`).Scan(&final)
	if !final {
		t.Fatal("the branch should hold the final report")
	}
	// Nothing changed: another cycle stores nothing new.
	pushAll(t, o, 3)
	if rev := outletLatest(t, o)["2026-11-25"]; rev != 2 {
		t.Fatalf("an unchanged day got revision %d", rev)
	}
}

func TestSkewedClockIsReportedToStaff(t *testing.T) {
	n := newNetwork(t)
	slow := apptest.NewClock(n.clock.Now().Add(-10 * time.Minute)) // the outlet PC's clock is 10 min late
	o := n.addOutletAt("SY001", n.url, slow)
	checkIn(t, o, "10.0.0.1", []string{"water"}, "")
	ctx := context.Background()
	o.Reporter.Cycle(ctx)
	sent, err := o.Reporter.DeliverNow(ctx)
	if err != nil || len(sent) != 1 || sent[0].Outcome != "failed" {
		t.Fatalf("deliveries %+v, err %v", sent, err)
	}
	st, _ := o.Svc.ReporterStatus(ctx)
	if st.Pending != 1 || !strings.Contains(st.LastError, "clock skew") {
		t.Fatalf("staff should read about the clock: %+v", st)
	}
	_, body := apptest.NewClient(t, o.HTTP, "").Get("/healthz")
	if !strings.Contains(body, "clock skew") || !strings.Contains(body, `"pending":1`) {
		t.Fatalf("healthz should report the reporter's state: %s", body)
	}
	if len(branchReports(t, n, "SY001")) != 0 {
		t.Fatal("a skewed push must store nothing")
	}
	slow.Set(n.clock.Now()) // the clock is fixed
	pushAll(t, o, 3)
	if len(branchReports(t, n, "SY001")) != 1 {
		t.Fatal("after fixing the clock the report should arrive")
	}
}

// TestConsoleShowsReporterState: staff read the reporter's state on Today.
func TestConsoleShowsReporterState(t *testing.T) {
	n := newNetwork(t)
	proxy := apptest.NewFaultProxy(t, n.url, [5]int{0, 0, 0, 1, 0}) // the branch answers 500
	o := n.addOutlet("SY001", proxy.URL)
	o.AddStaff("clerk", "staff", testPassword)
	checkIn(t, o, "10.0.0.1", []string{"water"}, "")
	pushAll(t, o, 0)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.2")
	apptest.StaffLogin(t, c, "clerk", testPassword)
	_, body := c.Get("/staff/today")
	for _, want := range []string{`id="reporter-pending">1<`, "从未 never", "HTTP 500"} {
		if !strings.Contains(body, want) {
			t.Fatalf("Today should show %q", want)
		}
	}
}
