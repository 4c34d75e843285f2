package apptest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// AxeScript returns axe-core's axe.min.js, read from the path in
// HARBOR_AXE (CI installs the npm package axe-core and sets it; nothing is
// fetched at run time). Without it the test's axe checks are skipped with
// a message (CheckAxe does nothing with ""), its other checks still run;
// in CI (CI=true) the test fails.
func AxeScript(tb testing.TB) string {
	tb.Helper()
	path := os.Getenv("HARBOR_AXE")
	if path == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("HARBOR_AXE must name axe-core's axe.min.js in CI (npm install axe-core; see .ci/run)")
		}
		tb.Log("HARBOR_AXE not set: skipping the axe-core checks (npm install --prefix DIR axe-core; HARBOR_AXE=DIR/node_modules/axe-core/axe.min.js)")
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("HARBOR_AXE: %v", err)
	}
	return string(b)
}

// axeViolation is one failed axe-core rule with the elements it found.
type axeViolation struct {
	ID    string
	Help  string
	Nodes []string
}

// CheckAxe runs axe-core (script, from AxeScript; "" skips) on the page
// open in ctx against WCAG 2.1 A and AA and the best practices, and fails
// the test for every violation, naming the page, the rule and the
// elements.
func CheckAxe(tb testing.TB, ctx context.Context, script, page string) {
	tb.Helper()
	if script == "" {
		return
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
		tb.Fatalf("%s: inject axe-core: %v", page, err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
		resultTypes: ["violations"]
	}).then(r => r.violations.map(v => ({id: v.id, help: v.help,
		nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.Fatalf("%s: run axe-core: %v", page, err)
	}
	for _, v := range found {
		tb.Errorf("%s: axe %s (%s):\n  %s", page, v.ID, v.Help, strings.Join(v.Nodes, "\n  "))
	}
}

// NoSidewaysScroll fails the test when the page open in ctx is wider than
// the viewport.
func NoSidewaysScroll(tb testing.TB, ctx context.Context, page string) {
	tb.Helper()
	w, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		tb.Fatalf("%s: %v", page, err)
	}
	if w[0] > w[1] {
		tb.Errorf("%s scrolls sideways: %d px wide in a %d px viewport", page, w[0], w[1])
	}
}

// Viewport resizes the browser of ctx to width×height.
func Viewport(tb testing.TB, ctx context.Context, width, height int) {
	tb.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		tb.Fatal(fmt.Errorf("viewport %dx%d: %w", width, height, err))
	}
}
