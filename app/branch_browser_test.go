package app_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"harbor/app/apptest"
	"harbor/config"
)

// TestConsoleInBrowser drives the branch console in headless Chromium at
// an office screen's size: log in, read the overview, open an outlet's
// page, and download November's workbook, which Excel would open.
func TestConsoleInBrowser(t *testing.T) { apptest.ForEachBranchBackend(t, testConsoleInBrowser) }

func testConsoleInBrowser(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	base := apptest.ServeHTTP(t, cr.b.HTTP)
	ctx := apptest.Browser(t, 1366, 768)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/overview?day=2026-11-24"), // redirects to the login form
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "viewer1"),
		chromedp.SendKeys(chromedp.ID("password"), viewerPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("day-checkins")),
	); err != nil {
		t.Fatal(err)
	}
	checkText(t, ctx, "#day-checkins", "20")
	checkText(t, ctx, "#reporting", "2 / 3")
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !wide {
		t.Fatalf("the overview scrolls sideways at 1366 px (%v)", err)
	}
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("tr.warn td")).backgroundColor`))
	if err != nil || bg != "rgb(255, 243, 205)" {
		t.Fatalf("the missing outlet's row does not stand out: %q %v", bg, err)
	}

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#outlets a[href="/console/outlets/SY002"]`)),
		chromedp.WaitVisible(chromedp.ID("outlet-title")),
	); err != nil {
		t.Fatal(err)
	}
	checkText(t, ctx, "#outlet-title", "SY002 车城路支行 张湾")
	checkText(t, ctx, "#outlet-checkins", "220")

	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	if _, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/console/reports"]`)), // last month by default
		chromedp.WaitVisible(chromedp.CSS(`a[href="/console/reports?month=2026-11"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/console/reports?month=2026-11"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/console/reports.xlsx?month=2026-11"]`)),
		chromedp.Click(chromedp.ID("download-xlsx")),
	); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("the downloaded workbook: %v", err)
	}
	defer f.Close()
	rows, _ := f.GetRows("网点 Outlets")
	tb := splitTable(rows, 0, len(rows))
	if !strings.HasPrefix(rows[0][1], "2026-11") || tb.cell("SY003", "服务人次") != "600" || tb.cell("SY003", "名次") != "1" {
		t.Fatalf("downloaded outlets sheet: %v", rows)
	}
}

func checkText(t *testing.T, ctx context.Context, sel, want string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil || strings.TrimSpace(got) != want {
		t.Fatalf("%s reads %q, want %q (%v)", sel, got, want, err)
	}
}

func ptr[T any](v T) *T { return &v }
