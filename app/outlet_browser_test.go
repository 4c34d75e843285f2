package app_test

import (
	"bytes"
	"compress/gzip"
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
		resp, body := c.Get(stationPath(o, "") + "&lang=" + lang)
		if resp.StatusCode != 200 {
			t.Fatal(resp.StatusCode)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		zw.Write([]byte(body))
		zw.Close()
		t.Logf("station page (%s, all %d amenities): %d bytes, %d gzip", lang, len(o.Svc.Profile().Amenities), len(body), buf.Len())
		if buf.Len() > 14*1024 {
			t.Fatalf("station page is %d bytes gzip-compressed; the budget is 14 KB", buf.Len())
		}
		for _, external := range []string{`src="http`, `href="http`, `src="//`, `href="//`, "<script", `rel="stylesheet"`} {
			if strings.Contains(body, external) {
				t.Fatalf("station page loads something (%s)", external)
			}
		}
	}
}
