package kiosk_test

import (
	"net/http"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// FuzzCheckInRequests sends arbitrary JSON bodies to the check-in API and
// arbitrary form bodies to the station page: the answer is always a
// specific client error or a success, never a 5xx, and the server keeps
// serving.
func FuzzCheckInRequests(f *testing.F) {
	cfg := apptest.OutletConfig(f)
	cfg.RatePerMin = 1 << 30
	o := apptest.NewOutlet(f, cfg)
	tok := o.Svc.PosterToken("")
	for _, seed := range []string{
		`{"token":"` + tok + `","amenities":["water"],"category":"courier"}`,
		`{"token":"` + tok + `","amenities":["water","water","tea"]}`,
		`{"token":"` + tok + `","amenity":"water","amenities":["water"]}`,
		`{"token":"` + tok + `","amenities":["` + strings.Repeat("a", 100) + `"]}`,
		`{"token":null,"amenities":null}`, `{"amenities":{}}`, `[]`, `"x"`, `{"token":"` + tok + `"`, "\xff",
		"t=" + tok + "&a=water&a=tea&c=delivery", "t=" + tok + "&a=%00&c=%E2%80%AE", "a=water&a=water",
	} {
		f.Add(seed, true)
		f.Add(seed, false)
	}
	code := o.Svc.Profile().Code
	f.Fuzz(func(t *testing.T, body string, asJSON bool) {
		c := apptest.NewClient(t, o.HTTP, "10.0.0.1")
		req := apptest.Request("POST", "/api/v1/checkins", "application/json", body)
		if !asJSON {
			req = apptest.Request("POST", "/k/"+code, "application/x-www-form-urlencoded", body)
		}
		resp, text := c.Do(req)
		if resp.StatusCode >= 500 {
			t.Fatalf("%q answered %d: %s", body, resp.StatusCode, text)
		}
		if asJSON && resp.StatusCode >= 400 && !strings.Contains(text, `"error":{"code":`) {
			t.Fatalf("%q: error without the one error shape: %s", body, text)
		}
		if resp, _ := c.Do(apptest.Request(http.MethodGet, "/healthz", "", "")); resp.StatusCode != 200 {
			t.Fatal("the server stopped serving")
		}
	})
}
