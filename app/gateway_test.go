package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/config"
)

// gatewayNet is a branch, a public gateway that believes the branch's
// credentials, and outlets that pull from it, on one clock.
type gatewayNet struct {
	*network
	gw  *apptest.Gateway
	cfg config.Gateway
}

func newGatewayNet(t *testing.T) *gatewayNet {
	n := newNetwork(t)
	key, err := n.branch.Svc.GatewayPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := apptest.GatewayConfig(t, key)
	cfg.ProxyHeader = "X-Forwarded-For"
	return &gatewayNet{network: n, gw: apptest.NewGatewayAt(t, cfg, n.clock), cfg: cfg}
}

// restartGateway closes the gateway and opens it again on its data.
func (g *gatewayNet) restartGateway() {
	g.t.Helper()
	if err := g.gw.Close(); err != nil {
		g.t.Fatal(err)
	}
	g.gw = apptest.NewGatewayAt(g.t, g.cfg, g.clock)
}

// addOutlet registers and enrolls code at the branch, points it at the
// gateway, and pulls once, which gives the gateway its sheet.
func (g *gatewayNet) addOutlet(code string) *apptest.Outlet {
	g.t.Helper()
	o := g.addOutletWith(code, g.url, g.clock, func(c *config.Outlet) {
		c.PublicURL, c.GatewayURL = "https://gateway.test", g.gw.PullURL
	})
	pullAll(g.t, o)
	return o
}

// pullAll pulls until the gateway holds nothing new for o, and returns the
// outcomes of what was applied.
func pullAll(t *testing.T, o *apptest.Outlet) map[string]int {
	t.Helper()
	all := map[string]int{}
	for i := 0; i < 1000; i++ {
		res, err := o.Puller.Pull(context.Background(), 0)
		if err != nil {
			t.Fatalf("pull: %v", err)
		}
		for k, v := range res.Outcomes {
			all[k] += v
		}
		if res.Items == 0 && !res.More {
			return all
		}
	}
	t.Fatal("the gateway kept answering items")
	return nil
}

// gatewayStation submits the station form of o at the gateway with
// token tok, as a phone on mobile data would.
func gatewayStation(t *testing.T, c *apptest.Client, o *apptest.Outlet, tok string, form url.Values) *http.Response {
	t.Helper()
	code := o.Svc.Profile().Code
	resp, body := c.Get("/k/" + code + "?t=" + url.QueryEscape(tok))
	if resp.StatusCode != 200 {
		t.Fatalf("gateway station page: %d %s", resp.StatusCode, body)
	}
	form.Set("t", tok)
	resp, body = c.PostForm("/k/"+code, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("gateway station post: %d %s", resp.StatusCode, body)
	}
	return resp
}

// TestScanAtTheGatewayCountsAtTheOutlet: a worker on mobile data opens the
// poster's URL at the gateway, ticks two amenities and sees the success
// page; the outlet's next pull applies the scan through its check-in path:
// one check-in, two amenities, the poster channel, the gateway path.
// Pulling again, or from an older cursor, counts nothing twice.
func TestScanAtTheGatewayCountsAtTheOutlet(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	phone := apptest.NewClient(t, g.gw.Public, "100.64.0.7")
	resp := gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {"water", "phone_charging"}, "c": {"courier"}})
	loc := resp.Header.Get("Location")
	resp, body := phone.Get(loc)
	if resp.StatusCode != 200 || !strings.Contains(body, "饮用水") || !strings.Contains(body, "手机充电") {
		t.Fatalf("success page at the gateway: %d %s", resp.StatusCode, body)
	}
	if r := report(t, o, "2026-11-25"); r.Totals.CheckIns != 0 {
		t.Fatalf("counted before the pull: %+v", r.Totals)
	}

	if got := pullAll(t, o); got[outlet.OutcomeRecorded] != 1 {
		t.Fatalf("pull outcomes %v, want one recorded", got)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || r.Totals.Visitors != 1 || r.Channels.Poster != 1 || len(r.Amenities) != 2 {
		t.Fatalf("outlet's report after the pull: %+v %+v %+v", r.Totals, r.Channels, r.Amenities)
	}
	if r.Paths == nil || r.Paths.Gateway != 1 || r.Paths.Local != 0 {
		t.Fatalf("paths %+v, want the one check-in through the gateway", r.Paths)
	}
	pushAll(t, o, 3) // the branch takes the paths and shows them on the outlet's page
	d, err := g.branch.Svc.OutletDetail(context.Background(), "SY001", 1)
	if err != nil || len(d.Days) != 1 || d.Days[0].Paths == nil || d.Days[0].Paths.Gateway != 1 {
		t.Fatalf("the branch's outlet page: %+v (%v), want the day's paths", d.Days, err)
	}

	// A lost acknowledgement: the outlet pulls again from cursor 0.
	if err := o.Svc.DB().Write.Exec(`UPDATE gateway_state SET cursor = 0`).Error; err != nil {
		t.Fatal(err)
	}
	if got := pullAll(t, o); got[outlet.OutcomeBefore] != 1 || got[outlet.OutcomeRecorded] != 0 {
		t.Fatalf("pull from an older cursor: %v, want the item applied before", got)
	}
	if r := report(t, o, "2026-11-25"); r.Totals.CheckIns != 1 {
		t.Fatalf("counted twice: %+v", r.Totals)
	}
	for _, l := range o.Svc.SelfCheck(context.Background(), &http.Client{Timeout: time.Second}) {
		if l.Name == "gateway" && l.Status != outlet.CheckOK {
			t.Fatalf("the self-check's gateway line: %+v", l)
		}
	}
	g.clock.Advance(6 * time.Minute)
	for _, l := range o.Svc.SelfCheck(context.Background(), &http.Client{Timeout: time.Second}) {
		if l.Name == "gateway" && l.Status != outlet.CheckFail {
			t.Fatalf("six minutes without a pull, the self-check's gateway line: %+v", l)
		}
	}
}
