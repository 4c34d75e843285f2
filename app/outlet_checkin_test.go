package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/models"
)

func newOutlet(t *testing.T) *apptest.Outlet {
	t.Helper()
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader = "X-Forwarded-For"
	return apptest.NewOutlet(t, cfg)
}

// stationPath is the path of the printed station QR code.
func stationPath(o *apptest.Outlet, amenity string) string {
	u, _ := url.Parse(o.Svc.StationURL(amenity, o.Svc.PosterToken(amenity)))
	return u.Path + "?" + u.RawQuery
}

func report(t *testing.T, o *apptest.Outlet, day string) models.Report {
	t.Helper()
	r, err := o.Svc.BuildReport(context.Background(), day)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func countRows(t *testing.T, o *apptest.Outlet, table string) int {
	t.Helper()
	var n int
	if err := o.Svc.DB().Read.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// submitStation opens the station page like a phone, then posts the form.
func submitStation(t *testing.T, c *apptest.Client, o *apptest.Outlet, form url.Values) *http.Response {
	t.Helper()
	resp, body := c.Get(stationPath(o, ""))
	if resp.StatusCode != 200 {
		t.Fatalf("station page: %d %s", resp.StatusCode, body)
	}
	form.Set("t", o.Svc.PosterToken(""))
	resp, body = c.PostForm("/k/"+o.Svc.Profile().Code, form)
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != 200 {
		t.Fatalf("station post: %d %s", resp.StatusCode, body)
	}
	return resp
}

func TestCheckInThroughStationForm(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.1")
	resp := submitStation(t, c, o, url.Values{"a": {"water", "phone_charging"}, "c": {"courier"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "/done?") {
		t.Fatalf("want 303 to the success page, got %d %q", resp.StatusCode, loc)
	}
	resp, body := c.Get(loc)
	if resp.StatusCode != 200 || !strings.Contains(body, "饮用水") || !strings.Contains(body, "手机充电") {
		t.Fatalf("success page should name both amenities: %d %s", resp.StatusCode, body)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || r.Totals.Visitors != 1 || r.Channels.Poster != 1 {
		t.Fatalf("totals %+v channels %+v", r.Totals, r.Channels)
	}
	want := map[string]int{"phone_charging": 1, "water": 1}
	if len(r.Amenities) != 2 || r.Amenities[0].CheckIns != want[r.Amenities[0].Code] || r.Amenities[1].CheckIns != 1 {
		t.Fatalf("amenities %+v", r.Amenities)
	}
	if len(r.Categories) != 1 || r.Categories[0] != (models.CategoryCount{Code: "courier", CheckIns: 1}) {
		t.Fatalf("categories %+v", r.Categories)
	}
	if r.Hours[10] != 1 {
		t.Fatalf("hours %v: want the check-in at 10:00", r.Hours)
	}
}

func TestCheckInThroughAmenitySticker(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.2")
	resp, body := c.Get(stationPath(o, "ebike_charging"))
	if resp.StatusCode != 200 || !strings.Contains(body, "电动车充电") {
		t.Fatalf("sticker page: %d", resp.StatusCode)
	}
	// One tap: the form carries only the token.
	resp, _ = c.PostForm("/k/"+o.Svc.Profile().Code+"/ebike_charging", url.Values{"t": {o.Svc.PosterToken("ebike_charging")}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sticker post: %d", resp.StatusCode)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || len(r.Amenities) != 1 || r.Amenities[0].Code != "ebike_charging" {
		t.Fatalf("report %+v", r)
	}
	if len(r.Categories) != 1 || r.Categories[0].Code != "unspecified" {
		t.Fatalf("categories %+v", r.Categories)
	}
	// A sticker's token cannot record another amenity.
	resp, _ = c.PostForm("/k/"+o.Svc.Profile().Code+"/ebike_charging",
		url.Values{"t": {o.Svc.PosterToken("ebike_charging")}, "a": {"water"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("other amenity on a sticker: want 400, got %d", resp.StatusCode)
	}
	// And a sticker's token is not valid on the station page.
	resp, _ = c.PostForm("/k/"+o.Svc.Profile().Code, url.Values{"t": {o.Svc.PosterToken("ebike_charging")}, "a": {"water"}})
	if resp.StatusCode != http.StatusBadRequest || countRows(t, o, "checkins") != 1 {
		t.Fatalf("sticker token on station: %d", resp.StatusCode)
	}
}

func TestCheckInThroughJSONAPI(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.3")
	body := map[string]any{"token": o.Svc.PosterToken(""), "amenities": []string{"hot_water", "microwave"}, "category": "sanitation"}
	resp, text := c.PostJSON("/api/v1/checkins", body)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("want 201, got %d %s", resp.StatusCode, text)
	}
	var got struct {
		Recorded, Duplicates []string
		Channel, Day         string
	}
	json.Unmarshal([]byte(text), &got)
	if len(got.Recorded) != 2 || len(got.Duplicates) != 0 || got.Channel != "poster" || got.Day != "2026-11-25" {
		t.Fatalf("answer %s", text)
	}
	// Again at once: both are duplicates, nothing new is stored.
	resp, text = c.PostJSON("/api/v1/checkins", body)
	json.Unmarshal([]byte(text), &got)
	if resp.StatusCode != http.StatusOK || len(got.Recorded) != 0 || len(got.Duplicates) != 2 {
		t.Fatalf("repeat: %d %s", resp.StatusCode, text)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || r.Categories[0].Code != "sanitation" {
		t.Fatalf("report %+v", r)
	}
}

func TestAPIErrorsHaveOneShape(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.4")
	cases := []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"not json", "text/plain", `{}`, 415, "unsupported_media_type"},
		{"syntax", "application/json", `{"token":`, 400, "invalid"},
		{"unknown field", "application/json", `{"token":"x","visitor":"me"}`, 400, "invalid"},
		{"wrong type", "application/json", `{"amenities":"water"}`, 400, "invalid"},
		{"trailing data", "application/json", `{} {}`, 400, "invalid"},
		{"forged token", "application/json", `{"token":"p1.AAAAAAAAAAAAAAAA","amenities":["water"]}`, 400, "bad_token"},
		{"unknown amenity", "application/json", `{"token":"` + o.Svc.PosterToken("") + `","amenities":["spa"]}`, 400, "invalid"},
		{"unknown category", "application/json", `{"token":"` + o.Svc.PosterToken("") + `","amenities":["water"],"category":"pilot"}`, 400, "invalid"},
		{"no amenity", "application/json", `{"token":"` + o.Svc.PosterToken("") + `","amenities":[]}`, 400, "invalid"},
		{"other outlet", "application/json", `{"outlet":"SY999","token":"` + o.Svc.PosterToken("") + `","amenities":["water"]}`, 404, "not_found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, text := c.Do(apptest.Request("POST", "/api/v1/checkins", tc.contentType, tc.body))
			var e struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(text), &e); err != nil || resp.StatusCode != tc.status || e.Error.Code != tc.code || e.Error.Message == "" {
				t.Fatalf("got %d %s; want %d %s", resp.StatusCode, text, tc.status, tc.code)
			}
		})
	}
	if n := countRows(t, o, "checkins"); n != 0 {
		t.Fatalf("%d check-ins stored by bad requests", n)
	}
	resp, text := c.Get("/api/v1/nothing")
	if resp.StatusCode != 404 || !strings.Contains(text, `"code":"not_found"`) {
		t.Fatalf("unknown API path: %d %s", resp.StatusCode, text)
	}
}

func TestLocalDayBoundary(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.5")
	o.Clock.Set(time.Date(2026, 11, 25, 23, 59, 59, 0, apptest.Shanghai))
	submitStation(t, c, o, url.Values{"a": {"water"}})
	o.Clock.Set(time.Date(2026, 11, 26, 0, 0, 0, 0, apptest.Shanghai))
	submitStation(t, c, o, url.Values{"a": {"water"}})
	before, after := report(t, o, "2026-11-25"), report(t, o, "2026-11-26")
	if before.Totals.CheckIns != 1 || before.Hours[23] != 1 || after.Totals.CheckIns != 1 || after.Hours[0] != 1 {
		t.Fatalf("25th %+v %v; 26th %+v %v", before.Totals, before.Hours, after.Totals, after.Hours)
	}
	// The stored instant is UTC: 23:59:59 in Shanghai is 15:59:59Z.
	var at int64
	o.Svc.DB().Read.Raw("SELECT at FROM checkins WHERE day = '2026-11-25'").Scan(&at)
	if got := time.UnixMilli(at).UTC().Format(time.RFC3339); got != "2026-11-25T15:59:59Z" {
		t.Fatalf("stored instant %s", got)
	}
	if !before.Final || after.Final {
		t.Fatalf("final flags: 25th %v, 26th %v (it is now the 26th)", before.Final, after.Final)
	}
}

func TestBadTokensRecordNothing(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.6")
	code := o.Svc.Profile().Code
	good := o.Svc.PosterToken("")
	old := good
	if _, err := o.Svc.ReplacePosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, token string
		status            int
		text              string
	}{
		{"forged", "/k/" + code, "p2." + strings.Repeat("A", 16), 400, "二维码无效"},
		{"tampered version", "/k/" + code, "p3" + good[2:], 400, "二维码无效"},
		{"truncated", "/k/" + code, o.Svc.PosterToken("")[:10], 400, "二维码无效"},
		{"other outlet", "/k/SY999", o.Svc.PosterToken(""), 404, "没有找到"},
		{"revoked poster", "/k/" + code, old, 410, "已经更换"},
		{"missing", "/k/" + code, "", 400, "二维码无效"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := c.Get(tc.path + "?t=" + url.QueryEscape(tc.token))
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.text) {
				t.Fatalf("GET: %d, want %d with %q", resp.StatusCode, tc.status, tc.text)
			}
			resp, body = c.PostForm(tc.path, url.Values{"t": {tc.token}, "a": {"water"}})
			if resp.StatusCode != tc.status || !strings.Contains(body, tc.text) {
				t.Fatalf("POST: %d, want %d with %q", resp.StatusCode, tc.status, tc.text)
			}
		})
	}
	if n := countRows(t, o, "checkins") + countRows(t, o, "checkin_amenities"); n != 0 {
		t.Fatalf("bad tokens stored %d rows", n)
	}
}

func TestDedupeWindow(t *testing.T) {
	o := newOutlet(t)
	a := apptest.NewClient(t, o.HTTP, "10.0.0.7")
	submitStation(t, a, o, url.Values{"a": {"water"}})
	o.Clock.Advance(9 * time.Minute)
	resp := submitStation(t, a, o, url.Values{"a": {"water", "tea"}})
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "d=water") || !strings.Contains(loc, "r=tea") {
		t.Fatalf("inside the window water is a duplicate: %s", loc)
	}
	o.Clock.Advance(2 * time.Minute) // 11 minutes after the first
	submitStation(t, a, o, url.Values{"a": {"water"}})
	b := apptest.NewClient(t, o.HTTP, "10.0.0.7") // another phone, same Wi-Fi
	submitStation(t, b, o, url.Values{"a": {"water"}})

	r := report(t, o, "2026-11-25")
	water := 0
	for _, x := range r.Amenities {
		if x.Code == "water" {
			water = x.CheckIns
			if x.Visitors != 2 {
				t.Fatalf("water visitors %d, want 2", x.Visitors)
			}
		}
	}
	if water != 3 || r.Totals.CheckIns != 4 || r.Totals.Visitors != 2 {
		t.Fatalf("water %d, totals %+v", water, r.Totals)
	}
}

func TestRateLimit(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader = "X-Forwarded-For"
	cfg.RatePerMin = 3
	o := apptest.NewOutlet(t, cfg)
	noisy := apptest.NewClient(t, o.HTTP, "10.9.9.9")
	form := url.Values{"t": {o.Svc.PosterToken("")}, "a": {"water"}}
	for i := 0; i < 3; i++ {
		if resp, _ := noisy.PostForm("/k/"+o.Svc.Profile().Code, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("post %d: %d", i, resp.StatusCode)
		}
	}
	form.Set("c", "courier")
	resp, body := noisy.PostForm("/k/"+o.Svc.Profile().Code, form)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "请过一分钟再提交") {
		t.Fatalf("want 429 with Retry-After and a message, got %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// The form comes back with the ticks and the token, ready to send again.
	for _, want := range []string{`value="water" checked`, `value="courier" checked`, `name="t" value="` + form.Get("t")} {
		if !strings.Contains(body, want) {
			t.Fatalf("the 429 page should be the form as sent, with %s", want)
		}
	}
	resp, body = noisy.PostJSON("/api/v1/checkins", map[string]any{"token": o.Svc.PosterToken(""), "amenities": []string{"tea"}})
	if resp.StatusCode != 429 || !strings.Contains(body, `"rate_limited"`) {
		t.Fatalf("API: %d %s", resp.StatusCode, body)
	}
	other := apptest.NewClient(t, o.HTTP, "10.1.1.1")
	if resp := submitStation(t, other, o, url.Values{"a": {"water"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another client should still be served: %d", resp.StatusCode)
	}
}

func TestWorkerTextIsEscaped(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.8")
	code := o.Svc.Profile().Code
	evil := `"><script>alert(1)</script>`
	pages := []string{
		"/k/" + code + "/done?r=water," + url.QueryEscape(evil) + "&t=" + url.QueryEscape(evil) + "&lang=" + url.QueryEscape(evil),
		"/k/" + code + "?t=" + url.QueryEscape(evil),
		"/k/" + url.PathEscape(evil) + "?t=x",
		"/k/" + code + "/" + url.PathEscape(evil) + "?t=x",
	}
	for _, p := range pages {
		_, body := c.Get(p)
		if strings.Contains(body, "<script>") {
			t.Fatalf("%s: unescaped script in page", p)
		}
	}
	for _, form := range []url.Values{
		{"t": {o.Svc.PosterToken("")}, "a": {evil}},
		{"t": {o.Svc.PosterToken("")}, "a": {"water"}, "c": {evil}},
		{"t": {evil}, "a": {"water"}, "lang": {evil}},
	} {
		resp, body := c.PostForm("/k/"+code, form)
		if resp.StatusCode != 400 || strings.Contains(body, "<script>") {
			t.Fatalf("post %v: %d, script echoed: %v", form, resp.StatusCode, strings.Contains(body, "<script>"))
		}
	}
	if countRows(t, o, "checkins") != 0 {
		t.Fatal("injection attempts stored check-ins")
	}
}

func TestLiveDisplayCode(t *testing.T) {
	o := newOutlet(t)
	staff := apptest.NewClient(t, o.HTTP, "10.0.0.9")
	if resp, _ := staff.Get("/display"); resp.StatusCode != 401 {
		t.Fatalf("locked display: want 401, got %d", resp.StatusCode)
	}
	if resp, _ := staff.Get("/display?key=wrong"); resp.StatusCode != 401 {
		t.Fatalf("wrong key: want 401, got %d", resp.StatusCode)
	}
	key, _ := o.Svc.DisplayKey(context.Background())
	staff.Get("/display?key=" + key)
	resp, body := staff.Get("/display")
	if resp.StatusCode != 200 || !strings.Contains(body, "<svg class=\"qr\"") {
		t.Fatalf("unlocked display: %d", resp.StatusCode)
	}

	worker := apptest.NewClient(t, o.HTTP, "10.0.0.10")
	live := o.Svc.LiveToken()
	o.Clock.Advance(35 * time.Second) // the previous code is still accepted
	resp, body = worker.Get("/k/" + o.Svc.Profile().Code + "?t=" + live)
	if resp.StatusCode != 200 || strings.Contains(body, live) {
		t.Fatalf("live scan: %d; the form should carry a ticket, not the live code", resp.StatusCode)
	}
	ticket := o.Svc.FormTicket("")
	o.Clock.Advance(3 * time.Minute) // ticking amenities takes a while
	resp, _ = worker.PostForm("/k/"+o.Svc.Profile().Code, url.Values{"t": {ticket}, "a": {"toilet"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("post with ticket: %d", resp.StatusCode)
	}
	if resp, _ := worker.Get("/k/" + o.Svc.Profile().Code + "?t=" + live); resp.StatusCode != http.StatusGone {
		t.Fatalf("an old live code should be expired: %d", resp.StatusCode)
	}
	r := report(t, o, "2026-11-25")
	if r.Channels.Live != 1 || r.Channels.Poster != 0 {
		t.Fatalf("channels %+v", r.Channels)
	}
	_, body = staff.Get("/display")
	if !strings.Contains(body, `<span class="n" id="today">1</span>`) {
		t.Fatal("display should show today's running total of 1")
	}
}

func TestHealthAndProfile(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "")
	resp, body := c.Get("/healthz")
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("healthz %d %s", resp.StatusCode, body)
	}
	resp, body = c.Get("/api/v1/outlet")
	var p struct {
		Code      string
		Amenities []struct{ Code, ZH, EN, Group string }
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil || resp.StatusCode != 200 {
		t.Fatalf("profile %d %v", resp.StatusCode, err)
	}
	if p.Code != "DEMO01" || len(p.Amenities) < 40 || p.Amenities[0].ZH == "" || p.Amenities[0].EN == "" || p.Amenities[0].Group == "" {
		t.Fatalf("profile %+v", p)
	}
}
