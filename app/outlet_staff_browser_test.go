package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
)

// TestStaffConsoleInBrowser drives the console in headless Chromium at an
// office screen's size: log in, record an assisted visit at the counter,
// and see Today's count and amenity chart change.
func TestStaffConsoleInBrowser(t *testing.T) {
	o := staffOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	ctx := apptest.Browser(t, 1366, 768)

	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/staff/today"), // redirects to the login form
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "clerk"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("total-checkins")),
	); err != nil {
		t.Fatal(err)
	}
	count, bars := todayFigures(t, ctx)
	if count != "0" || bars != 0 {
		t.Fatalf("before: %s check-ins, %d bars", count, bars)
	}
	// The stylesheet came from /static under the strict CSP.
	bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector(".top")).backgroundColor`))
	if err != nil || bg != "rgb(164, 22, 26)" {
		t.Fatalf("staff stylesheet not applied: %q %v", bg, err)
	}

	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/staff/assisted"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input[value="water"] + span`)),
		chromedp.Click(chromedp.CSS(`input[value="water"] + span`)),
		chromedp.Click(chromedp.CSS(`input[value="delivery"] + span`)),
		chromedp.SetValue(chromedp.ID("people"), "2"),
		chromedp.Click(chromedp.ID("assisted-submit")),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
		chromedp.Click(chromedp.CSS(`nav.menu a[href="/staff/today"]`)),
		chromedp.WaitVisible(chromedp.ID("amenity-chart")),
	); err != nil {
		t.Fatal(err)
	}
	count, bars = todayFigures(t, ctx)
	if count != "2" || bars != 1 {
		t.Fatalf("after an assisted visit of 2: %s check-ins, %d bars", count, bars)
	}
	label, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#amenity-chart rect.bar title").textContent`))
	if err != nil || label != "饮用水: 2" {
		t.Fatalf("chart bar says %q (%v)", label, err)
	}

	// The account's name in the header leads to changing its password.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.who`)),
		chromedp.WaitVisible(chromedp.ID("current")),
		chromedp.SendKeys(chromedp.ID("current"), testPassword),
		chromedp.SendKeys(chromedp.ID("new"), "a new password 7"),
		chromedp.SendKeys(chromedp.ID("repeat"), "a new password 7\n"),
		chromedp.WaitVisible(chromedp.CSS(`p.notice`)),
	); err != nil {
		t.Fatal(err)
	}
	if notice, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`p.notice`))); err != nil || !strings.Contains(notice, "密码已修改") {
		t.Fatalf("after changing the password: %q (%v)", notice, err)
	}
}

// todayFigures reads the check-in count and the amenity chart's bar count.
func todayFigures(t *testing.T, ctx context.Context) (string, int) {
	t.Helper()
	count, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("total-checkins")))
	if err != nil {
		t.Fatal(err)
	}
	bars, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#amenity-chart rect.bar").length`))
	if err != nil {
		t.Fatal(err)
	}
	return count, bars
}
