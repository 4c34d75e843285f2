package app_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/handlers/kiosk"
)

// TestStationPageInPhoneBrowser drives the real page in headless Chromium at
// a cheap phone's viewport with JavaScript off: scan, pick a category but
// tick nothing (the form comes back with the warning, the category and the
// token, also behind the language link), switch to English, un-choose the
// category, tick two amenities, submit, see success.
func TestStationPageInPhoneBrowser(t *testing.T) {
	o := newOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	ctx := apptest.Browser(t, 360, 740)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}

	station := base + stationPath(o, "")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(station),
		chromedp.WaitVisible(chromedp.CSS(`input[value="water"] + span`)),
	); err != nil {
		t.Fatal(err)
	}
	// Everything the page needs is inline: no request after the HTML.
	resources, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource").map(e => e.name)`))
	if err != nil || len(resources) != 0 {
		t.Fatalf("page loaded sub-resources %v (err %v); want none", resources, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`input[value="delivery"] + span`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`p.warn`)),
	); err != nil {
		t.Fatal(err)
	}
	checkText(t, ctx, "p.warn", "请至少选择一项服务。")
	lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("a.lang").href`))
	if err != nil || !strings.Contains(lang, "t="+o.Svc.PosterToken("")) || !strings.Contains(lang, "c=delivery") {
		t.Fatalf("after the warning the language link is %q (%v); want the token and the category", lang, err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.lang`)),
		chromedp.WaitVisible(chromedp.CSS(`input[value="delivery"]:checked + span`)),
		chromedp.Click(chromedp.CSS(`input[name="c"][value=""] + span`)), // changed my mind: no category
		chromedp.Click(chromedp.CSS(`input[value="water"] + span`)),
		chromedp.Click(chromedp.CSS(`input[value="phone_charging"] + span`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.got`)),
	); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Recorded. Thank you!") || !strings.Contains(text, "Drinking water") || !strings.Contains(text, "Phone charging") {
		t.Fatalf("success page says %q", text)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || len(r.Amenities) != 2 || r.Categories[0].Code != outlet.UnspecifiedCategory {
		t.Fatalf("report after the browser check-in: %+v", r)
	}
}

// TestStationPageWeight keeps the worker's page within one round trip:
// HTML, CSS and icons together at most 14 KB gzip-compressed.
func TestStationPageWeight(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "")
	for _, lang := range []string{"zh", "en"} {
		req := httptest.NewRequest("GET", stationPath(o, "")+"&lang="+lang, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, sent := c.Do(req)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("station page: %d, Content-Encoding %q; want it gzip-compressed", resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(sent))
		if err != nil {
			t.Fatal(err)
		}
		html, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		body := string(html)
		t.Logf("station page (%s, all %d amenities): %d bytes, %d sent gzip-compressed", lang, len(o.Svc.Profile().Amenities), len(body), len(sent))
		if len(sent) > 14*1024 {
			t.Fatalf("the server sends the station page as %d bytes gzip-compressed; the budget is 14 KB", len(sent))
		}
		for _, external := range []string{`src="http`, `href="http`, `src="//`, `href="//`, "<script", `rel="stylesheet"`} {
			if strings.Contains(body, external) {
				t.Fatalf("station page loads something (%s)", external)
			}
		}
	}
}

// TestLobbyDisplayFitsAndRefreshes shows the lobby display at two
// landscape screens and a portrait one: it fills the screen without
// scrolling, and its script (no meta refresh) swaps in the next code and
// today's total without reloading the page.
func TestLobbyDisplayFitsAndRefreshes(t *testing.T) {
	o := newOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	ctx := apptest.Browser(t, 1920, 1080)
	// The script waits DisplayRefresh seconds between fetches; the test
	// shortens those waits to 50 ms.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `const wait = window.setTimeout; window.setTimeout = (f, ms) => wait(f, ms === ` +
			strconv.Itoa(kiosk.DisplayRefresh*1000) + ` ? 50 : ms);`}); err != nil {
		t.Fatal(err)
	}
	key, _ := o.Svc.DisplayKey(context.Background())
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/display?key="+key), chromedp.WaitVisible(chromedp.ID("today"))); err != nil {
		t.Fatal(err)
	}
	for _, size := range []struct{ w, h int }{{1920, 1080}, {1366, 768}, {1080, 1920}} {
		apptest.Viewport(t, ctx, size.w, size.h)
		fits, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollHeight <= innerHeight &&
			document.documentElement.scrollWidth <= innerWidth`))
		if err != nil || !fits {
			t.Errorf("the display does not fit %dx%d (%v)", size.w, size.h, err)
		}
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('meta[http-equiv="refresh"]').length`)); n != 0 {
		t.Fatal("the display still has a meta refresh")
	}
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("live").innerHTML`))
	if err != nil {
		t.Fatal(err)
	}
	o.Clock.Advance(outlet.LiveWindow)
	checkIn(t, o, "10.0.0.7", []string{"water"}, "")
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.getElementById("today").textContent === "1" &&
		document.getElementById("live").innerHTML !== `+strconv.Quote(first), chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the display did not update its code and total: %v", err)
	}
}
