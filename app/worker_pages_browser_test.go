package app_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
	"harbor/app/outlet"
)

// phoneSizes are the viewports the worker pages must fit: a small, a
// common and a large phone.
var phoneSizes = []struct{ w, h int }{{320, 640}, {360, 740}, {414, 896}}

// TestWorkerPagesAtPhoneSizes crawls every worker page reachable from the
// station, sticker, success and feedback pages, in both languages, at
// 320, 360 and 414 px: no page scrolls sideways, every link and form to a
// worker page keeps the page's QR token, and at 360 px axe-core finds no
// violation. On the station page the top amenities and the submit button
// are on the first screen, and Chinese names wrap only where allowed.
func TestWorkerPagesAtPhoneSizes(t *testing.T) {
	o := newOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	ctx := apptest.Browser(t, 360, 740)
	axe := apptest.AxeScript(t)
	code, tok, sticker := o.Svc.Profile().Code, o.Svc.PosterToken(""), o.Svc.PosterToken("toilet")
	starts := []string{
		"/k/" + code + "?" + url.Values{"t": {tok}}.Encode(),
		"/k/" + code + "/toilet?" + url.Values{"t": {sticker}}.Encode(),
		"/k/" + code + "/done?" + url.Values{"t": {tok}, "r": {"water,phone_charging"}, "d": {"toilet"}}.Encode(),
		"/k/" + code + "/done?" + url.Values{"t": {sticker}, "d": {"toilet"}, "s": {"toilet"}}.Encode(),
		"/k/" + code + "/feedback?" + url.Values{"t": {tok}, "sent": {"1"}}.Encode(),
	}
	for _, size := range phoneSizes {
		apptest.Viewport(t, ctx, size.w, size.h)
		pages := crawlWorkerPages(t, ctx, base, starts)
		for _, lang := range []string{"zh", "en"} {
			checkStationFirstScreen(t, ctx, base+starts[0]+"&lang="+lang, size.w, size.h)
		}
		if size.w != 360 {
			continue
		}
		for _, page := range pages {
			if err := chromedp.Do(ctx, chromedp.Navigate(base+page)); err != nil {
				t.Fatal(err)
			}
			apptest.CheckAxe(t, ctx, axe, page)
		}
	}
}

// crawlWorkerPages visits starts and every worker page they link to,
// checking each for sideways scrolling and kept tokens, and returns the
// pages visited.
func crawlWorkerPages(t *testing.T, ctx context.Context, base string, starts []string) []string {
	t.Helper()
	seen := map[string]bool{}
	queue := append([]string{}, starts...)
	var visited []string
	for len(queue) > 0 && len(visited) < 60 {
		page := queue[0]
		queue = queue[1:]
		if seen[page] {
			continue
		}
		seen[page] = true
		visited = append(visited, page)
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(base+page))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 200 {
			t.Errorf("%s answered %d", page, resp.Status)
			continue
		}
		apptest.NoSidewaysScroll(t, ctx, page)
		u, _ := url.Parse(page)
		want := u.Query().Get("t")
		targets, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[
			...[...document.querySelectorAll("a[href]")].map(a => a.href),
			...[...document.querySelectorAll("form")].map(f => {
				const t = f.querySelector("input[name=t]");
				const u = new URL(f.action);
				if (t) u.searchParams.set("t", t.value);
				return u.href;
			})]`))
		if err != nil {
			t.Fatal(err)
		}
		for _, target := range targets {
			tu, err := url.Parse(target)
			if err != nil || !strings.HasPrefix(tu.Path, "/k/") {
				continue
			}
			if got := tu.Query().Get("t"); got != want {
				t.Errorf("%s links to %s with token %q, want %q", page, target, got, want)
			}
			if next := tu.RequestURI(); !seen[next] && !strings.Contains(target, "#") {
				queue = append(queue, next)
			}
		}
	}
	t.Logf("crawled %d worker pages", len(visited))
	if len(visited) < 10 {
		t.Fatalf("the crawl reached only %d pages: %v", len(visited), visited)
	}
	return visited
}

// checkStationFirstScreen opens the station page at width×height and
// checks that the top amenities sit above the submit bar, the submit
// button is in view, and each Chinese name wraps only at a "/".
func checkStationFirstScreen(t *testing.T, ctx context.Context, station string, width, height int) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(station)); err != nil {
		t.Fatal(err)
	}
	type screen struct {
		Tiles                  int
		Lowest, BarTop, Button float64
		Height                 float64
		Broken                 []string
	}
	s, err := chromedp.Run(ctx, chromedp.Evaluate[screen](`(() => {
		const tiles = [...document.querySelectorAll("main > fieldset:first-of-type .opt span")];
		document.querySelectorAll("details").forEach(d => d.open = true);
		const broken = [];
		if (document.documentElement.lang === "zh-CN") {
			for (const n of document.querySelectorAll(".opt b")) {
				for (const text of n.childNodes) {
					if (text.nodeType !== Node.TEXT_NODE) continue;
					const r = document.createRange();
					r.selectNodeContents(text);
					if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) broken.push(n.textContent);
				}
			}
		}
		window.scrollTo(0, 0);
		return {tiles: tiles.length, lowest: Math.max(...tiles.map(s => s.getBoundingClientRect().bottom)),
			barTop: document.querySelector(".bar").getBoundingClientRect().top,
			button: document.querySelector(".bar button").getBoundingClientRect().bottom,
			height: window.innerHeight, broken};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	where := station + " at " + itoa(int64(width)) + "x" + itoa(int64(height))
	if s.Tiles != outlet.TopCount || s.Lowest > s.BarTop || s.Button > s.Height {
		t.Errorf("%s: %d top tiles reaching %.0f px, submit bar at %.0f px, its button ends at %.0f of %.0f px",
			where, s.Tiles, s.Lowest, s.BarTop, s.Button, s.Height)
	}
	if len(s.Broken) > 0 {
		t.Errorf("%s: names broken mid-word: %q", where, s.Broken)
	}
}
