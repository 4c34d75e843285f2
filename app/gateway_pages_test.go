package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
)

// inboxItems counts the items the gateway holds.
func inboxItems(t *testing.T, g *gatewayNet) int {
	t.Helper()
	var n int
	if err := g.gw.Svc.DB().Read.Raw(`SELECT COUNT(*) FROM inbox`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestGatewayRefusesBadCodes: the gateway tells a worker at once, as the
// outlet does, that a code is forged, damaged, another station's, replaced
// or expired, and stores nothing.
func TestGatewayRefusesBadCodes(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	other := g.addOutlet("SY002")
	code := o.Svc.Profile().Code
	old := o.Svc.PosterToken("")
	oldLive := o.Svc.LiveToken()
	if _, err := o.Svc.ReplacePosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	pullAll(t, o)
	good := o.Svc.PosterToken("")
	g.clock.Advance(2 * outlet.LiveWindow)
	pullAll(t, o) // the screen's codes of now
	phone := apptest.NewClient(t, g.gw.Public, "100.64.0.8")
	cases := []struct {
		name, path, token string
		status            int
		text              string
	}{
		{"forged", "/k/" + code, "p2." + strings.Repeat("A", 16), 400, "二维码无效"},
		{"tampered version", "/k/" + code, "p3" + good[2:], 400, "二维码无效"},
		{"truncated", "/k/" + code, good[:10], 400, "二维码无效"},
		{"missing", "/k/" + code, "", 400, "二维码无效"},
		{"other station's", "/k/" + code, other.Svc.PosterToken(""), 400, "二维码无效"},
		{"unknown station", "/k/SY999", good, 404, "没有找到"},
		{"replaced poster", "/k/" + code, old, 410, "已经更换"},
		{"sticker on another amenity", "/k/" + code + "/water", o.Svc.PosterToken("tea"), 400, "二维码无效"},
		{"expired screen code", "/k/" + code, oldLive, 410, "已经更新"},
		{"forged screen code", "/k/" + code, "l" + strings.TrimPrefix(o.Svc.LiveToken(), "l")[:9] + strings.Repeat("B", 16), 400, "二维码无效"},
		{"outlet's own ticket", "/k/" + code, o.Svc.FormTicket(""), 400, "二维码无效"},
		{"forged gateway ticket", "/k/" + code, "g1764000000.58800000." + strings.Repeat("C", 16) + "." + strings.Repeat("D", 16), 400, "二维码无效"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := phone.Get(tc.path + "?t=" + url.QueryEscape(tc.token))
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.text) {
				t.Fatalf("GET: %d, want %d with %q: %.300s", resp.StatusCode, tc.status, tc.text, body)
			}
			resp, body = phone.PostForm(tc.path, url.Values{"t": {tc.token}, "a": {"water"}})
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.text) {
				t.Fatalf("POST: %d, want %d with %q", resp.StatusCode, tc.status, tc.text)
			}
		})
	}
	if n := inboxItems(t, g); n != 0 {
		t.Fatalf("bad codes put %d items in the inbox", n)
	}
}

// TestReplacePostersReachesTheGatewayInOnePull: the old poster works at
// the gateway until the outlet's next pull, which carries the new sheet;
// a scan of the old poster made before the replacement still counts at
// the outlet, one made after the gateway learnt of it is refused there.
func TestReplacePostersReachesTheGatewayInOnePull(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	old := o.Svc.PosterToken("")
	phone := apptest.NewClient(t, g.gw.Public, "100.64.0.9")
	gatewayStation(t, phone, o, old, url.Values{"a": {"water"}}) // scanned before the replacement
	g.clock.Advance(time.Minute)
	if _, err := o.Svc.ReplacePosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	outcomes := pullAll(t, o)
	if outcomes[outlet.OutcomeRecorded] != 1 {
		t.Fatalf("the scan made before the replacement: %v, want recorded", outcomes)
	}
	resp, body := phone.Get("/k/" + o.Svc.Profile().Code + "?t=" + url.QueryEscape(old))
	if resp.StatusCode != 410 || !strings.Contains(body, "已经更换") {
		t.Fatalf("old poster after one pull: %d, want 410 replaced", resp.StatusCode)
	}
	g.clock.Advance(11 * time.Minute) // past the dedupe window
	gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {"water"}})
	if got := pullAll(t, o); got[outlet.OutcomeRecorded] != 1 {
		t.Fatalf("new poster: %v", got)
	}
	if r := report(t, o, "2026-11-25"); r.Channels.Poster != 2 {
		t.Fatalf("channels %+v, want 2 poster check-ins", r.Channels)
	}
}

// TestLiveCodeStickerAndFeedbackAtTheGateway: a scan of the lobby screen
// gets a ticket of the gateway's for the form, and the outlet checks the
// screen's code again as of the scan: channel live. A sticker records its
// amenity; the feedback form's post reaches the staff's inbox.
func TestLiveCodeStickerAndFeedbackAtTheGateway(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	code := o.Svc.Profile().Code
	phone := apptest.NewClient(t, g.gw.Public, "100.64.0.10")

	resp, body := phone.Get("/k/" + code + "?t=" + url.QueryEscape(o.Svc.LiveToken()))
	if resp.StatusCode != 200 {
		t.Fatalf("screen code at the gateway: %d %.300s", resp.StatusCode, body)
	}
	ticket := hiddenToken(t, body)
	if !strings.HasPrefix(ticket, "g") {
		t.Fatalf("the form's ticket %q is not the gateway's", ticket)
	}
	g.clock.Advance(10 * time.Minute) // ticking takes a while; the screen's code is long gone
	resp, body = phone.PostForm("/k/"+code, url.Values{"t": {ticket}, "a": {"hot_water"}})
	if resp.StatusCode != 303 {
		t.Fatalf("form with the ticket: %d %.300s", resp.StatusCode, body)
	}
	resp, _ = phone.Get("/k/" + code + "/microwave?t=" + url.QueryEscape(o.Svc.PosterToken("microwave")))
	if resp.StatusCode != 200 {
		t.Fatalf("sticker page: %d", resp.StatusCode)
	}
	if resp, _ = phone.PostForm("/k/"+code+"/microwave", url.Values{"t": {o.Svc.PosterToken("microwave")}}); resp.StatusCode != 303 {
		t.Fatalf("sticker post: %d", resp.StatusCode)
	}
	resp, _ = phone.PostForm("/k/"+code+"/feedback", url.Values{"rating": {"4"}, "amenity": {"microwave"}, "text": {"微波炉很好用"}})
	if resp.StatusCode != 303 {
		t.Fatalf("feedback: %d", resp.StatusCode)
	}
	g.clock.Advance(6 * time.Minute) // the ticket is now older than 15 minutes
	if resp, _ := phone.PostForm("/k/"+code, url.Values{"t": {ticket}, "a": {"tea"}}); resp.StatusCode != 410 {
		t.Fatalf("an old ticket: %d, want 410", resp.StatusCode)
	}

	if got := pullAll(t, o); got[outlet.OutcomeRecorded] != 2 || got[outlet.OutcomeFeedback] != 1 {
		t.Fatalf("outcomes %v, want 2 check-ins and 1 feedback", got)
	}
	r := report(t, o, "2026-11-25")
	if r.Channels.Live != 1 || r.Channels.Poster != 1 || r.Feedback == nil || r.Feedback.Received != 1 {
		t.Fatalf("report: channels %+v feedback %+v", r.Channels, r.Feedback)
	}
	list, err := o.Svc.FeedbackList(context.Background(), true, 10)
	if err != nil || len(list) != 1 || list[0].Text != "微波炉很好用" || list[0].Amenity != "microwave" {
		t.Fatalf("staff's feedback inbox: %+v %v", list, err)
	}
}

// hiddenToken is the form's hidden token t of a station page.
func hiddenToken(t *testing.T, page string) string {
	t.Helper()
	_, rest, ok := strings.Cut(page, `name="t" value="`)
	if !ok {
		t.Fatalf("no hidden token in the form: %.300s", page)
	}
	tok, _, _ := strings.Cut(rest, `"`)
	return tok
}

// TestGatewayTellsDuplicatesAndCookielessPosts: the same phone ticking
// the same amenity inside the outlet's dedupe window is told "already
// recorded" at the gateway, and nothing new is queued; a post without
// the visitor cookie is deduplicated by address and browser and counted
// as cookieless at the outlet.
func TestGatewayTellsDuplicatesAndCookielessPosts(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	phone := apptest.NewClient(t, g.gw.Public, "100.64.0.11")
	gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {"water"}})
	g.clock.Advance(5 * time.Minute)
	resp := gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {"water", "tea"}})
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "d=water") || !strings.Contains(loc, "r=tea") {
		t.Fatalf("inside the window water is a duplicate: %s", loc)
	}
	script := apptest.NewClient(t, g.gw.Public, "100.64.0.12")
	for range 2 {
		resp, body := script.PostJSON("/api/v1/checkins", map[string]any{"outlet": "SY001",
			"token": o.Svc.PosterToken(""), "amenities": []string{"toilet"}})
		if resp.StatusCode != 201 && resp.StatusCode != 200 {
			t.Fatalf("API check-in: %d %s", resp.StatusCode, body)
		}
		script.Cookies = map[string]string{} // refuses cookies
	}
	if n := inboxItems(t, g); n != 3 {
		t.Fatalf("%d items queued, want 3 (the duplicates are not)", n)
	}
	pullAll(t, o)
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 3 || r.Totals.Visitors != 2 || r.Signals == nil || r.Signals.Cookieless != 1 {
		t.Fatalf("report: totals %+v signals %+v; want 3 check-ins by 2 visitors, 1 cookieless", r.Totals, r.Signals)
	}
}

// TestGatewayPagesAreTheOutlets: the gateway renders a station's pages
// from its sheet with the outlet's own handlers and templates: the station
// page, a sticker's page and the feedback form are byte for byte the
// outlet's, in both languages.
func TestGatewayPagesAreTheOutlets(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	if err := o.Svc.SetAmenityPinned(context.Background(), "microwave", true); err != nil {
		t.Fatal(err)
	}
	pullAll(t, o)
	local := apptest.NewClient(t, o.HTTP, "10.0.0.1")
	public := apptest.NewClient(t, g.gw.Public, "100.64.3.1")
	for _, page := range []string{
		"/k/SY001?t=" + url.QueryEscape(o.Svc.PosterToken("")),
		"/k/SY001?lang=en&t=" + url.QueryEscape(o.Svc.PosterToken("")),
		"/k/SY001/water?t=" + url.QueryEscape(o.Svc.PosterToken("water")),
		"/k/SY001/feedback?lang=en",
	} {
		r1, b1 := local.Get(page)
		r2, b2 := public.Get(page)
		if r1.StatusCode != 200 || r2.StatusCode != 200 || b1 != b2 {
			t.Errorf("%s: outlet %d (%d bytes), gateway %d (%d bytes): the pages differ", page, r1.StatusCode, len(b1), r2.StatusCode, len(b2))
		}
	}
}

// TestPostersPointAtTheGateway: with --public-url the printed codes and
// the lobby display point at the gateway, the Wi-Fi-only codes stay a
// link away, and the poster carries a second code that joins the
// station's Wi-Fi.
func TestPostersPointAtTheGateway(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.PublicURL, cfg.GatewayURL = "https://harbor.example.cn", "https://harbor.example.cn:8444"
	cfg.WiFiSSID, cfg.WiFiPassword = "劳动者港湾;免费", "pass:word1"
	o := apptest.NewOutlet(t, cfg)
	o.AddStaff("mgr", "manager", testPassword)
	if u := o.Svc.StationURL("water", o.Svc.PosterToken("water")); !strings.HasPrefix(u, "https://harbor.example.cn/k/") {
		t.Fatalf("sticker URL %s", u)
	}
	c := apptest.NewClient(t, o.HTTP, "10.0.0.2")
	apptest.StaffLogin(t, c, "mgr", testPassword)
	_, body := c.Get("/staff/posters")
	if !strings.Contains(body, "https://harbor.example.cn/k/") || !strings.Contains(body, "via=local") || !strings.Contains(body, "劳动者港湾;免费") {
		t.Fatalf("Posters page: %.500s", body)
	}
	_, public := c.Get("/staff/posters/station")
	_, local := c.Get("/staff/posters/station?via=local")
	if !strings.Contains(public, `class="wifi"`) || public == local {
		t.Fatal("the station poster lacks the Wi-Fi code, or its codes do not change with via=local")
	}
	key, _ := o.Svc.DisplayKey(context.Background())
	c.Get("/display?key=" + key)
	if resp, _ := c.Get("/display"); resp.StatusCode != 200 {
		t.Fatalf("display: %d", resp.StatusCode)
	}
}
