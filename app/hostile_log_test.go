package app_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/handlers/web"
)

// captureLog sends the log, as JSON lines, to the buffer it returns until
// the test ends.
func captureLog(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&buf, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })
	return &buf
}

// TestAccessLogBounded (issue 10, item 7): a 404 for a 15.5 KB path
// writes a line of under 1 KB, and a flood of 1,000 of them from one
// client writes what 21 lines do; another client's errors are still logged.
func TestAccessLogBounded(t *testing.T) {
	buf := captureLog(t)
	o := newOutlet(t)
	long := "/" + strings.Repeat("a", 15500)
	flooder := apptest.NewClient(t, o.HTTP, "10.4.0.1")
	req := apptest.Request("GET", long, "", "")
	req.Header.Set("X-Request-ID", strings.Repeat("r", 500)) // a client may name its request
	if resp, _ := flooder.Do(req); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("long path: %d", resp.StatusCode)
	}
	if n := buf.Len(); n > 1024 {
		t.Fatalf("one 404 for a 15.5 KB path wrote %d bytes of log:\n%.400s", n, buf.String())
	}
	for range 999 {
		flooder.Get(long)
	}
	lines := strings.Count(buf.String(), "\n")
	if lines != web.Logged4xxPerMin+1 || buf.Len() > (web.Logged4xxPerMin+1)*1024 {
		t.Fatalf("1,000 404s from one client wrote %d lines, %d bytes; want %d lines", lines, buf.Len(), web.Logged4xxPerMin+1)
	}
	if !strings.Contains(buf.String(), "not logged until") {
		t.Fatal("no line says the client's further errors are left out")
	}
	apptest.NewClient(t, o.HTTP, "10.4.0.2").Get("/nothing-here")
	if !strings.Contains(buf.String(), `"path":"/nothing-here"`) {
		t.Fatal("another client's 404 was not logged")
	}
	if resp, _ := flooder.Get("/healthz"); resp.StatusCode != 200 || !strings.Contains(buf.String(), `"path":"/healthz"`) {
		t.Fatal("the flooder's good requests must still be logged")
	}
}
