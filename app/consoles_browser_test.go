package app_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
	"harbor/handlers/staff"
)

// checkConsolePage opens path and checks it with axe-core, for sideways
// scrolling at the office screen's width, and that no chart label is cut
// at the chart's left edge.
func checkConsolePage(t *testing.T, ctx context.Context, axe, base, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
		t.Fatal(err)
	}
	apptest.NoSidewaysScroll(t, ctx, path)
	cut, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("svg.chart text")]
		.filter(t => t.getBBox().x < 0).map(t => t.textContent)`))
	if err != nil || len(cut) > 0 {
		t.Errorf("%s: chart labels cut at the left edge: %q (%v)", path, cut, err)
	}
	apptest.CheckAxe(t, ctx, axe, path)
}

// TestStaffConsoleAccessible opens every page of the staff console at
// 1366×768 as a manager, with axe-core, and checks that Today refreshes
// itself by script (no meta refresh) and can be paused.
func TestStaffConsoleAccessible(t *testing.T) {
	o := staffOutlet(t)
	mgr, tok := staffClient(t, o, "mgr", "10.8.0.1")
	submitStation(t, apptest.NewClient(t, o.HTTP, "10.8.0.2"), o, url.Values{"a": {"water", "toilet"}, "c": {"courier"}})
	postOK(t, mgr, "/staff/assisted", url.Values{"_csrf": {tok}, "a": {"water"}, "people": {"3"}})
	postOK(t, mgr, "/staff/activities", url.Values{"_csrf": {tok}, "day": {"2026-11-24"}, "theme": {"反诈宣传"},
		"venue": {"community"}, "participants": {"30"}})
	postOK(t, mgr, "/staff/activities/1", url.Values{"_csrf": {tok}, "day": {"2026-11-24"}, "theme": {"反诈宣传"},
		"venue": {"community"}, "participants": {"35"}, "reason": {"补记"}})
	base := apptest.ServeHTTP(t, o.HTTP)
	ctx := apptest.Browser(t, 1366, 768)
	axe := apptest.AxeScript(t)
	checkConsolePage(t, ctx, axe, base, "/staff/login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("name"), "mgr"),
		chromedp.SendKeys(chromedp.ID("password"), testPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("refresh-toggle")),
		chromedp.Click(chromedp.ID("refresh-toggle")),
	); err != nil {
		t.Fatal(err)
	}
	paused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("refresh-toggle").textContent + "|" +
		sessionStorage.getItem("harbor.refresh.paused") + "|" + document.querySelectorAll('meta[http-equiv="refresh"]').length`))
	if err != nil || paused != "恢复自动刷新 Resume refreshing|1|0" {
		t.Fatalf("after pausing, Today reads %q (%v)", paused, err)
	}
	// Resumed, Today reloads itself after TodayRefresh seconds as ?auto=1,
	// which is not counted as use. The test makes that wait 50 ms the
	// first time, and endless after.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `const wait = window.setTimeout; window.setTimeout = (f, ms) => wait(f, ms !== ` +
			strconv.Itoa(staff.TodayRefresh*1000) + ` ? ms : location.search === "?auto=1" ? 2e9 : 50);`}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("refresh-toggle")), chromedp.Navigate(base+"/staff/today")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		// Evaluating fails while the page navigates: ask again.
		if search, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`)); err == nil && search == "?auto=1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("Today did not reload itself")
		}
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("refresh-toggle"))); err != nil { // paused for the checks below
		t.Fatal(err)
	}
	for _, path := range []string{"/staff/today", "/staff/history", "/staff/assisted", "/staff/assisted/2", "/staff/feedback",
		"/staff/activities?month=2026-11", "/staff/activities/1", "/staff/amenities", "/staff/posters", "/staff/accounts",
		"/staff/corrections", "/staff/check", "/staff/password", "/staff/nosuch"} {
		checkConsolePage(t, ctx, axe, base, path)
	}
}

// TestBranchConsoleAccessible opens the branch console's pages at
// 1366×768 with axe-core, and the public directory at phone sizes.
func TestBranchConsoleAccessible(t *testing.T) {
	cr := craft(t, apptest.BranchConfig(t))
	cr.outlets["SY010"] = cr.b.EnrollOutletIn("SY010", "十堰分行营业部劳动者港湾服务站（北京中路网点）", "城区")
	cr.push("SY010", "2026-11-24", 1, 2)
	base := apptest.ServeHTTP(t, cr.b.HTTP)
	ctx := apptest.Browser(t, 1366, 768)
	axe := apptest.AxeScript(t)
	checkConsolePage(t, ctx, axe, base, "/console/login")
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("name"), "admin1"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("day-checkins")),
	); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/console/overview?day=2026-11-24", "/console/outlets/SY002",
		"/console/compare?outlet=SY001&outlet=SY002&outlet=SY010", "/console/activities", "/console/reports?month=2026-11",
		"/console/bulletin?month=2026-11", "/console/scheme", "/console/accounts", "/console/password"} {
		checkConsolePage(t, ctx, axe, base, path)
	}
	for _, size := range phoneSizes {
		apptest.Viewport(t, ctx, size.w, size.h)
		checkConsolePage(t, ctx, axe, base, "/directory?amenity=water")
	}
}
