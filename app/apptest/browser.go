package apptest

import (
	"context"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"
)

// chromiumPath finds a Chromium or Chrome binary, or "".
func chromiumPath() string {
	if p := os.Getenv("HARBOR_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser returns a chromedp context for a headless Chromium with a phone
// sized viewport (width×height), closed when the test ends. Without
// Chromium the test is skipped, except in CI (CI=true), where it fails.
func Browser(tb testing.TB, width, height int) context.Context {
	tb.Helper()
	path := chromiumPath()
	if path == "" {
		Require(tb, "browser tests", "install Chromium (apt-get install chromium) or set HARBOR_CHROMIUM to its path")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN,zh"),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelCtx := chromedp.NewContext(actx)
	tb.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first action starts the browser; it lives as long as browser.
	if err := chromedp.Do(browser, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		tb.Fatalf("start Chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(browser, 90*time.Second)
	tb.Cleanup(cancelTimeout)
	return ctx
}

// ServeHTTP serves h on a loopback port for the test and returns its base
// URL, e.g. http://127.0.0.1:41234.
func ServeHTTP(tb testing.TB, h *fiber.App) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go h.Listener(ln)
	tb.Cleanup(func() { h.ShutdownWithTimeout(5 * time.Second) })
	return "http://" + ln.Addr().String()
}
