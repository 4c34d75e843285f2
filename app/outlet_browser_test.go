package app_test

import (
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
)

// TestStationPageInPhoneBrowser drives the real page in headless Chromium at
// a cheap phone's viewport: scan, tick two amenities, submit, see success.
func TestStationPageInPhoneBrowser(t *testing.T) {
	o := newOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	ctx := apptest.Browser(t, 360, 640)

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
		chromedp.Click(chromedp.CSS(`input[value="water"] + span`)),
		chromedp.Click(chromedp.CSS(`input[value="phone_charging"] + span`)),
		chromedp.Click(chromedp.CSS(`input[value="delivery"] + span`)),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`ul.got`)),
	); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "登记成功") || !strings.Contains(text, "饮用水") || !strings.Contains(text, "手机充电") {
		t.Fatalf("success page says %q", text)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 1 || len(r.Amenities) != 2 || r.Categories[0].Code != "delivery" {
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
