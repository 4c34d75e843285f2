package web

import (
	"testing"
	"time"
)

func TestIPLimiterWindows(t *testing.T) {
	l := &ipLimiter{max: 2, window: time.Minute, hits: map[string]*ipWindow{}}
	t0 := time.Date(2026, 11, 26, 8, 0, 30, 0, time.UTC)
	if l.take("10.0.0.1", t0) != 0 || l.take("10.0.0.1", t0.Add(time.Second)) != 0 {
		t.Fatal("the first two requests must pass")
	}
	if retry := l.take("10.0.0.1", t0.Add(10*time.Second)); retry != 51 {
		t.Fatalf("third request: retry after %d s, want 51", retry)
	}
	if l.take("10.0.0.2", t0.Add(10*time.Second)) != 0 {
		t.Fatal("another address has its own count")
	}
	if l.take("10.0.0.1", t0.Add(time.Minute)) != 0 {
		t.Fatal("a new window starts a minute after the first request")
	}
	l.take("10.0.0.3", t0.Add(3*time.Minute)) // sweeps the expired windows
	if len(l.hits) != 1 {
		t.Fatalf("%d windows kept after the sweep, want 1", len(l.hits))
	}
}
