package app_test

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"harbor/app/apptest"
	"harbor/models"
)

// printableWidth is an A4 page's width less the bulletin's margins (16 mm
// each side), in CSS pixels: 178 mm at 96 px to the inch.
const printableWidth = 672

// TestBulletinPrintsOnA4 prints a published bulletin of twelve outlets in
// headless Chromium: the PDF's pages are A4; laid out for print at the
// printable width, no element of the document reaches outside it or
// overflows its box, nothing but the document prints; and its Chinese is
// drawn in a Chinese font, not as missing glyphs.
func TestBulletinPrintsOnA4(t *testing.T) {
	families := cjkFamilies(t)
	n := seedNetwork(t, apptest.BranchConfig(t), 12, "2026-10-31")
	n.clock.Set(time.Date(2026, 11, 5, 10, 0, 0, 0, apptest.Shanghai))
	n.b.AddUser("admin1", models.RoleAdmin, adminPassword)
	// Names as long as allowed (60 characters), one without a space, to
	// wrap in the tables.
	for code, name := range map[string]string{"SY001": strings.Repeat("十堰分行营业部劳动者港湾服务站北京中路网点", 3),
		"SY002": "ShiyanBranchWorkersHarborStationBeijingRoadOutletNumber00001"} {
		if err := n.b.Svc.DB().Write.Exec(`UPDATE outlets SET name = ?, grp = ? WHERE code = ?`, name, name, code).Error; err != nil {
			t.Fatal(err)
		}
	}
	base := apptest.ServeHTTP(t, n.b.HTTP)
	ctx := apptest.Browser(t, 1366, 768)
	axe := apptest.AxeScript(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/console/bulletin?month=2026-10"), // the login form first
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "admin1"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword+"\n"),
		chromedp.WaitVisible(chromedp.ID("publish")),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.ID("publish")),
		chromedp.WaitVisible(chromedp.ID("withdraw")),
	); err != nil {
		t.Fatal(err)
	}
	apptest.NoSidewaysScroll(t, ctx, "the bulletin page")
	apptest.CheckAxe(t, ctx, axe, "/console/bulletin?month=2026-10")

	printed, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: ptr(true), PrintBackground: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	checkA4(t, printed.Data)

	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	apptest.Viewport(t, ctx, printableWidth, 1000)
	outside, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		const out = [], art = document.getElementById("bulletin"), a = art.getBoundingClientRect();
		if (a.left < -0.5 || a.right > innerWidth + 0.5) out.push("the document spans " + a.left + " to " + a.right);
		for (const el of art.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 && r.height === 0) continue;
			const name = el.tagName + (el.id ? "#" + el.id : "") + " " + (el.textContent || "").trim().slice(0, 20);
			if (r.left < a.left - 0.5 || r.right > a.right + 0.5) out.push(name + " spans " + r.left.toFixed(1) + " to " + r.right.toFixed(1));
			if (/^(TD|TH|P|H1|H2|FIGCAPTION)$/.test(el.tagName) && el.scrollWidth > el.clientWidth + 1) out.push(name + " overflows its box");
		}
		for (const el of document.querySelectorAll("header.top, nav.menu, main > :not(.bulletin-wrap)"))
			if (el.getBoundingClientRect().height > 0) out.push("prints beside the document: " + el.tagName + "." + el.className);
		if (document.documentElement.scrollWidth > innerWidth) out.push("the page is " + document.documentElement.scrollWidth + " px wide");
		return out;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outside {
		t.Errorf("printed at %d px: %s", printableWidth, o)
	}
	checkChineseGlyphs(t, ctx, families, ".bulletin .btitle")
	checkChineseGlyphs(t, ctx, families, "#bulletin-summary")
}

// cjkFamilies lists the installed fonts that cover Chinese (fontconfig);
// without any the test is skipped, or fails in CI.
func cjkFamilies(t *testing.T) map[string]bool {
	t.Helper()
	out, _ := exec.Command("fc-list", ":lang=zh", "family").Output()
	families := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		for _, f := range strings.Split(line, ",") {
			if f = strings.TrimSpace(f); f != "" {
				families[f] = true
			}
		}
	}
	if len(families) == 0 {
		apptest.Require(t, "bulletin print tests", "install a Chinese font, e.g. apt-get install fonts-wqy-microhei (fc-list :lang=zh lists none)")
	}
	return families
}

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`)

// checkA4 checks that every page of a PDF is A4 (595 × 842 points).
func checkA4(t *testing.T, pdf []byte) {
	t.Helper()
	boxes := mediaBox.FindAllSubmatch(pdf, -1)
	if len(boxes) == 0 {
		t.Fatalf("the PDF (%d bytes) has no pages", len(pdf))
	}
	for _, b := range boxes {
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		if w < 594 || w > 597 || h < 841 || h > 844 {
			t.Errorf("a PDF page is %.1f × %.1f points, not A4 (595 × 842)", w, h)
		}
	}
	t.Logf("the bulletin prints on %d A4 pages", len(boxes))
}

// checkChineseGlyphs checks that the element sel's Chinese characters are
// drawn with an installed Chinese font: Chromium reports the fonts it
// used for the element's text, with the glyphs drawn by each.
func checkChineseGlyphs(t *testing.T, ctx context.Context, families map[string]bool, sel string) {
	t.Helper()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel)+`).textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, css.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	doc, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		t.Fatal(err)
	}
	node, err := chromedp.Call(ctx, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: sel})
	if err != nil {
		t.Fatal(err)
	}
	used, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: node.NodeID})
	if err != nil {
		t.Fatal(err)
	}
	fonts := used.Fonts
	han := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	drawn := 0
	var names []string
	for _, f := range fonts {
		names = append(names, f.FamilyName+":"+strconv.FormatFloat(f.GlyphCount, 'f', 0, 64))
		if families[f.FamilyName] {
			drawn += int(f.GlyphCount)
		}
	}
	t.Logf("%s: %d Chinese characters drawn with %v", sel, han, names)
	if han == 0 || drawn < han {
		t.Errorf("%s: %d Chinese characters, %d glyphs from Chinese fonts (fonts used: %v)", sel, han, drawn, names)
	}
}
