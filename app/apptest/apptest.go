// Package apptest starts real harbor roles on temporary SQLite files, or for
// the branch on a PostgreSQL schema of their own, for tests, with a clock the
// test controls.
package apptest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"harbor/app"
	"harbor/config"
)

// Clock is a settable clock for the services under test.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now returns the clock's time; a zero clock (RealClock) follows time.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.t.IsZero() {
		return time.Now()
	}
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// Shanghai is the default outlet time zone.
var Shanghai, _ = time.LoadLocation("Asia/Shanghai")

// OutletConfig returns a validated default outlet config on a temp folder.
func OutletConfig(tb testing.TB) config.Outlet {
	tb.Helper()
	cfg := config.OutletDefaults()
	cfg.DataDir = tb.TempDir()
	cfg.BaseURL = "http://harbor.test"
	cfg.LogFormat = "text"
	// Fiber's test requests come from 0.0.0.0: trust it, so that a test
	// client can claim its IP with X-Forwarded-For (see Client).
	cfg.TrustedProxies = []string{"0.0.0.0", "127.0.0.1"}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// Outlet is an outlet role under test.
type Outlet struct {
	*app.Outlet
	Clock *Clock
	tb    testing.TB
}

// NewOutlet starts an outlet on cfg (see OutletConfig) with a clock at
// 2026-11-25 10:00 Asia/Shanghai, closed when the test ends.
func NewOutlet(tb testing.TB, cfg config.Outlet) *Outlet {
	tb.Helper()
	return NewOutletAt(tb, cfg, NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, Shanghai)))
}

// NewOutletAt starts an outlet on cfg whose clock is clock (shared, say,
// with a branch under test).
func NewOutletAt(tb testing.TB, cfg config.Outlet, clock *Clock) *Outlet {
	tb.Helper()
	o, err := app.NewOutlet(context.Background(), cfg, clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { o.Close() })
	return &Outlet{Outlet: o, Clock: clock, tb: tb}
}

// Do sends req through the real Fiber app and returns the response with
// its body read.
func (o *Outlet) Do(req *http.Request) (*http.Response, string) {
	o.tb.Helper()
	resp, err := o.HTTP.Test(req, -1)
	if err != nil {
		o.tb.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// Request builds a request; a string body is sent with contentType.
func Request(method, target, contentType, body string) *http.Request {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// RealClock returns a Clock that follows the wall clock until Set.
func RealClock() *Clock { return &Clock{t: time.Time{}} }
