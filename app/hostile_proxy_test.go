package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// TestForwardedForRightmostUntrusted (issue 10, item 8): behind a trusted
// proxy that appends to X-Forwarded-For, what the client wrote on the left
// changes nothing: the rate limit counts the address the proxy saw.
func TestForwardedForRightmostUntrusted(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader, cfg.TrustedProxies, cfg.RatePerMin = "X-Forwarded-For", []string{"127.0.0.1", "10.0.0.0/8"}, 3
	o := apptest.NewOutlet(t, cfg)
	base := apptest.ServeHTTP(t, o.HTTP) // the test is the proxy at 127.0.0.1
	post := func(xff ...string) int {
		t.Helper()
		req := bombOf(t, base, "/api/v1/checkins", "application/json",
			[]byte(`{"token":"`+o.Svc.PosterToken("")+`","amenities":["water"]}`))
		for _, v := range xff {
			req.Header.Add("X-Forwarded-For", v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for i := range 3 { // a new spoofed address each time, as the attacker did
		spoofed := fmt.Sprintf("198.18.0.%d", i)
		if got := post(spoofed + ", 203.0.113.7"); got != http.StatusCreated && got != http.StatusOK {
			t.Fatalf("check-in %d: %d", i+1, got)
		}
	}
	for _, xff := range [][]string{
		{"198.18.1.1, 203.0.113.7"},
		{"198.18.1.2", "203.0.113.7"},            // two header lines are one list
		{"198.18.1.3, 203.0.113.7, 10.20.30.40"}, // and through a second trusted proxy
	} {
		if got := post(xff...); got != http.StatusTooManyRequests {
			t.Fatalf("X-Forwarded-For %s: %d, want 429: the client-written address escaped the limit", strings.Join(xff, " | "), got)
		}
	}
	if got := post("203.0.113.8"); got != http.StatusCreated && got != http.StatusOK {
		t.Fatalf("another client behind the proxy: %d", got)
	}
}
