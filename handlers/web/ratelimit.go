package web

import (
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// RateLimit allows perMinute requests per client IP in a minute that starts
// with the IP's first request (as Fiber's fixed-window limiter did); beyond
// that it answers 429 with Retry-After and a clear message. One handler
// shares its counts across every route it guards.
//
// It is a plain map under a mutex: Fiber's limiter serialised an entry
// through its storage interface on every request, a measurable part of a
// check-in. Expired entries are swept once a minute, so memory is bounded
// by the addresses seen in a minute.
func RateLimit(perMinute int) fiber.Handler {
	return newIPLimiter(perMinute).handle
}

func newIPLimiter(perMinute int) *ipLimiter {
	return &ipLimiter{max: perMinute, window: time.Minute, hits: map[string]*ipWindow{}}
}

type ipLimiter struct {
	max    int
	window time.Duration

	mu        sync.Mutex
	hits      map[string]*ipWindow
	nextSweep time.Time
}

type ipWindow struct {
	n     int
	reset time.Time
}

func (l *ipLimiter) handle(c *fiber.Ctx) error {
	if retry := l.take(ClientAddr(c), time.Now()); retry > 0 {
		return &models.Error{Code: models.ERATELIMIT, RetryAfter: retry,
			Message: "too many requests from your network; please wait a minute and try again"}
	}
	return c.Next()
}

// take counts a request from ip at now; it returns 0 when the request may
// go on, or the seconds until the ip's window resets.
func (l *ipLimiter) take(ip string, now time.Time) int {
	n, reset := l.hit(ip, now)
	if n <= l.max {
		return 0
	}
	return int(reset.Sub(now)/time.Second) + 1
}

// hit counts a request from ip at now and returns the ip's count in its
// window and when the window resets.
func (l *ipLimiter) hit(ip string, now time.Time) (int, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.After(l.nextSweep) {
		for k, w := range l.hits {
			if !now.Before(w.reset) {
				delete(l.hits, k)
			}
		}
		l.nextSweep = now.Add(l.window)
	}
	w := l.hits[ip]
	if w == nil || !now.Before(w.reset) {
		if w == nil {
			w = &ipWindow{}
			l.hits[strings.Clone(ip)] = w // ip may point into Fiber's reused buffers
		}
		w.n, w.reset = 0, now.Add(l.window)
	}
	w.n++
	return w.n, w.reset
}
