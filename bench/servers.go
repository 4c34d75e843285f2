package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app"
	"harbor/config"
)

// servers are the two HTTP servers one checkin run compares, both in this
// process on loopback: the real outlet and a bare Fiber app.
type servers struct {
	Outlet    *app.Outlet
	OutletURL string // base URL of the outlet
	BareURL   string // the bare endpoint's full URL
	DataDir   string
	Logs      *logCounter

	bare   *fiber.App
	cancel context.CancelFunc
	done   chan error
}

// startServers starts the outlet (app.NewOutlet on a temporary data
// folder, --rate-limit at its maximum) and the bare Fiber app.
func startServers() (*servers, error) {
	dir, err := os.MkdirTemp("", "harbor-bench-")
	if err != nil {
		return nil, err
	}
	s := &servers{DataDir: dir, Logs: &logCounter{}, done: make(chan error, 1)}
	// The outlet logs every request (AccessLog) as JSON, as in production;
	// the lines are counted and scanned, not written anywhere.
	slog.SetDefault(slog.New(slog.NewJSONHandler(s.Logs, nil)))

	cfg := config.OutletDefaults()
	cfg.DataDir, cfg.RatePerMin, cfg.LogFormat = dir, 100000, "json"
	cfg.Addr, cfg.BaseURL = "127.0.0.1:0", "http://127.0.0.1"
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	if s.Outlet, err = app.NewOutlet(ctx, cfg, nil); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.OutletURL = "http://" + ln.Addr().String()
	go func() { s.done <- s.Outlet.Run(ctx, ln) }()

	s.bare = fiber.New(fiber.Config{DisableStartupMessage: true})
	s.bare.All("/bare", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusOK) })
	bln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s.BareURL = "http://" + bln.Addr().String() + "/bare"
	go func() { _ = s.bare.Listener(bln) }()
	return s, waitHealthy(s.OutletURL+"/healthz", 10*time.Second)
}

// stop shuts both servers down and closes the outlet's database, so that
// its writer has drained and everything acknowledged is on disk.
func (s *servers) stop() error {
	_ = s.bare.Shutdown()
	s.cancel()
	err := <-s.done
	if cerr := s.Outlet.Close(); err == nil {
		err = cerr
	}
	return err
}

// logCounter receives the servers' log lines and counts the ones that
// matter here: errors, and "database is locked" anywhere.
type logCounter struct {
	Lines  atomic.Int64
	Errors atomic.Int64
	Locked atomic.Int64

	mu    sync.Mutex
	first []string // first few error lines, to show
}

func (l *logCounter) Write(p []byte) (int, error) {
	l.Lines.Add(1)
	if bytes.Contains(p, []byte("database is locked")) {
		l.Locked.Add(1)
	}
	if bytes.Contains(p, []byte(`"level":"ERROR"`)) {
		l.Errors.Add(1)
		l.mu.Lock()
		if len(l.first) < 5 {
			l.first = append(l.first, string(bytes.TrimSpace(p)))
		}
		l.mu.Unlock()
	}
	return len(p), nil
}

// FirstErrors returns up to five logged error lines.
func (l *logCounter) FirstErrors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.first...)
}

// waitHealthy polls url until it answers 200 or timeout passes.
func waitHealthy(url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if healthy(url) {
			return nil
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s not healthy after %s", url, timeout)
}
