package app_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"harbor/app/apptest"
)

// cookieless posts one check-in of amenities from ip with user agent ua
// and no cookie, as a phone that refuses cookies does, and returns the
// answer's status.
func cookieless(t *testing.T, o *apptest.Outlet, ip, ua string, amenities ...string) int {
	t.Helper()
	form := url.Values{"a": amenities, "t": {o.Svc.PosterToken("")}}
	req := apptest.Request("POST", "/k/"+o.Svc.Profile().Code, "application/x-www-form-urlencoded", form.Encode())
	req.Header.Set("X-Forwarded-For", ip)
	req.Header.Set("User-Agent", ua)
	resp, body := o.Do(req)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("check-in: %d %s", resp.StatusCode, body)
	}
	return resp.StatusCode
}

// TestCookielessCheckInsAreDeduplicated: a phone that never keeps the
// visitor cookie posting "water" three times is one check-in and one
// visitor, deduplicated by its address and browser inside the window, and
// the report counts it as cookie-less (issue 11, item 3: it made three).
func TestCookielessCheckInsAreDeduplicated(t *testing.T) {
	o := newOutlet(t)
	const phone = "Mozilla/5.0 (Linux; Android 10; V2031A) MicroMessenger/8.0"
	for i := 0; i < 3; i++ {
		cookieless(t, o, "10.0.0.7", phone, "water")
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || r.Totals.Visitors != 1 || r.Signals == nil || r.Signals.Cookieless != 1 {
		t.Fatalf("three cookie-less posts of one phone counted %+v, signals %+v", r.Totals, r.Signals)
	}

	// Another phone behind the same address is another visitor; the first
	// phone past the window checks in again, still one visitor of the day.
	cookieless(t, o, "10.0.0.7", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari", "water")
	o.Clock.Advance(11 * time.Minute)
	cookieless(t, o, "10.0.0.7", phone, "water")
	r = report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 3 || r.Totals.Visitors != 2 || r.Signals.Cookieless != 3 {
		t.Fatalf("got %+v, signals %+v; want 3 check-ins of 2 visitors, all cookie-less", r.Totals, r.Signals)
	}

	// A phone with the cookie is not cookie-less.
	checkIn(t, o, "10.0.0.8", []string{"water"}, "")
	r = report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 4 || r.Signals.Cookieless != 3 {
		t.Fatalf("got %+v, signals %+v", r.Totals, r.Signals)
	}
	if rc, err := o.Svc.RecountReport(t.Context(), "2026-11-25"); err != nil || rc.Signals == nil || *rc.Signals != *r.Signals {
		t.Fatalf("recount %+v, counters %+v (%v)", rc.Signals, r.Signals, err)
	}
}
