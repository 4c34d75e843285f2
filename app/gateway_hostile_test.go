package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/handlers"
)

// TestHostileRequestsToTheGateway: bad requests to the public listener get
// their status and error code, store nothing, and the gateway keeps
// serving. The public listener serves nothing but the worker pages,
// check-ins, feedback and the directory: no console, no metrics, no pulls.
func TestHostileRequestsToTheGateway(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	code := o.Svc.Profile().Code
	old := o.Svc.PosterToken("")
	live := o.Svc.LiveToken()
	o.Svc.ReplacePosters(t.Context())
	pullAll(t, o)
	tok := o.Svc.PosterToken("")
	g.clock.Advance(2 * time.Minute) // the live code is now too old
	pullAll(t, o)

	js, form := "application/json", "application/x-www-form-urlencoded"
	checkin := func(extra string) string {
		return `{"outlet":"` + code + `","token":"` + tok + `","amenities":["water"]` + extra + `}`
	}
	evil := `<script>alert(1)</script>`
	cases := []hostile{
		{"oversized body", "", "POST", "/api/v1/checkins", js, `{"token":"` + strings.Repeat("a", 70<<10) + `"}`, nil, 413, "too_large"},
		{"form as JSON endpoint", "", "POST", "/api/v1/checkins", form, "t=" + tok + "&a=water", nil, 415, "unsupported_media_type"},
		{"gzip bomb", "", "POST", "/api/v1/checkins", js, checkin(""), map[string]string{"Content-Encoding": "gzip, gzip"}, 415, "unsupported_media_type"},
		{"no outlet named", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","amenities":["water"]}`, nil, 400, "invalid"},
		{"unknown outlet", "", "POST", "/api/v1/checkins", js, `{"outlet":"SY999","token":"` + tok + `","amenities":["water"]}`, nil, 404, "not_found"},
		{"invalid UTF-8", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"` + tok + `","amenities":["wat` + "\xff\xfe" + `er"]}`, nil, 400, "invalid"},
		{"SQL injection code", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"` + tok + `","amenities":["water'); DROP TABLE inbox;--"]}`, nil, 400, "invalid"},
		{"script as category", "", "POST", "/api/v1/checkins", js, checkin(`,"category":"` + strings.ReplaceAll(evil, `"`, `\"`) + `"`), nil, 400, "invalid"},
		{"too many amenities", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"` + tok + `","amenities":[` + strings.Repeat(`"water",`, 100) + `"tea"]}`, nil, 400, "invalid"},
		{"unknown field", "", "POST", "/api/v1/checkins", js, checkin(`,"visitor":"me"`), nil, 400, "invalid"},
		{"forged token", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"p2.AAAAAAAAAAAAAAAA","amenities":["water"]}`, nil, 400, "bad_token"},
		{"replaced poster", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"` + old + `","amenities":["water"]}`, nil, 410, "token_replaced"},
		{"expired live code", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"` + live + `","amenities":["water"]}`, nil, 410, "token_expired"},
		{"forged ticket", "", "POST", "/api/v1/checkins", js, `{"outlet":"` + code + `","token":"g` + strings.Repeat("1", 10) + ".5.AAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBB" + `","amenities":["water"]}`, nil, 400, "bad_token"},
		{"form: no amenity", "", "POST", "/k/" + code, form, "t=" + tok, nil, 400, ""},
		{"form: script amenity", "", "POST", "/k/" + code, form, "t=" + tok + "&a=" + url.QueryEscape(evil), nil, 400, ""},
		{"form: sticker for unknown amenity", "", "POST", "/k/" + code + "/sauna", form, "t=" + tok, nil, 400, ""},
		{"feedback: rating 9", "", "POST", "/k/" + code + "/feedback", form, "rating=9&text=hi", nil, 400, ""},
		{"feedback: 600 characters", "", "POST", "/k/" + code + "/feedback", form, "rating=3&text=" + strings.Repeat("长", 600), nil, 400, ""},
		{"feedback: unknown outlet", "", "POST", "/k/SY999/feedback", form, "rating=3", nil, 404, ""},
		{"path trick", "", "GET", "/k/..%2f..%2fetc%2fpasswd", "", "", nil, 404, ""},
		{"static: the staff console's script", "", "GET", "/static/staff.js", "", "", nil, 404, ""},
		{"no console", "", "GET", "/staff/today", "", "", nil, 404, ""},
		{"no staff login", "", "POST", "/staff/login", form, "name=x&password=y", nil, 404, ""},
		{"no lobby display", "", "GET", "/display", "", "", nil, 404, ""},
		{"no metrics", "", "GET", "/metrics", "", "", nil, 404, "not_found"},
		{"no health", "", "GET", "/healthz", "", "", nil, 404, "not_found"},
		{"no pulls on the public listener", "", "POST", "/api/v1/pull", js, `{"cursor":0}`, nil, 404, "not_found"},
		{"no report ingest", "", "POST", "/api/v1/reports", js, `{}`, nil, 404, "not_found"},
		{"no stats", "", "GET", "/api/v1/stats", "", "", nil, 404, "not_found"},
		{"directory: bad coordinates", "", "GET", "/api/v1/directory?lat=91&lng=0", "", "", nil, 400, "invalid"},
		{"directory: script as amenity", "", "GET", "/api/v1/directory?amenity=" + url.QueryEscape(evil), "", "", nil, 400, "invalid"},
		{"wrong method", "", "PUT", "/api/v1/checkins", js, checkin(""), nil, 405, "method_not_allowed"},
	}
	before := tableChecksum(t, g.gw.Svc.DB().Read, "day_salts")
	base := apptest.ServeHTTP(t, g.gw.Public)
	phone := apptest.NewClient(t, g.gw.Public, "100.67.0.1")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.body) > handlers.MaxOutletBody {
				c.run(t, headersOnly(t, base))
				return
			}
			c.run(t, phone.For(t).Do)
		})
	}
	if after := tableChecksum(t, g.gw.Svc.DB().Read, "day_salts"); after != before {
		t.Fatal("a rejected request changed the gateway's database")
	}
	if resp, body := phone.Get("/directory"); resp.StatusCode != http.StatusOK || !strings.Contains(body, o.Svc.Profile().Name) {
		t.Fatalf("the gateway stopped serving: %d", resp.StatusCode)
	}
	gatewayStation(t, phone, o, tok, url.Values{"a": {"water"}}) // and still takes good scans
	if n := inboxItems(t, g); n != 1 {
		t.Fatalf("%d items after one good scan", n)
	}
	t.Logf("%d hostile requests to the gateway's public listener", len(cases))
}
