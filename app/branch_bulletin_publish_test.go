package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/branch/branchseed"
	"harbor/config"
	"harbor/models"
)

// TestPublishingFreezesTheBulletin is issue 13's publishing test, on six
// outlets over October and November, the clock on 5 December:
//   - publishing is for admins, with the session's CSRF token, once;
//   - a scheme changed after October is published cannot take effect in
//     October, and one from November leaves October's bulletin (page,
//     JSON and workbook) byte for byte as published while November uses it;
//   - a late revision of an October day shows as changed after
//     publication, and the published figures stay;
//   - withdrawing needs a reason, keeps the publication in the history,
//     and makes October a draft again, with the current figures.
func TestPublishingFreezesTheBulletin(t *testing.T) {
	apptest.ForEachBranchBackend(t, testPublishingFreezesTheBulletin)
}

func testPublishingFreezesTheBulletin(t *testing.T, cfg config.Branch) {
	n := seedNetwork(t, cfg, 6, "2026-11-30")
	ctx := context.Background()
	if _, err := n.b.Svc.SaveScheme(ctx, schemeV1(), "李科长"); err != nil {
		t.Fatal(err)
	}
	n.b.AddUser("admin1", models.RoleAdmin, adminPassword)
	admin := apptest.NewClient(t, n.b.HTTP, "10.1.0.2")
	csrf := apptest.ConsoleLogin(t, admin, "admin1", adminPassword)
	viewer := viewerClient(t, n.b)
	october := url.Values{"_csrf": {csrf}, "month": {"2026-10"}}

	if resp, _ := viewer.PostForm("/console/bulletin/publish", url.Values{"month": {"2026-10"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a viewer publishing: %d", resp.StatusCode)
	}
	if resp, _ := admin.PostForm("/console/bulletin/publish", url.Values{"month": {"2026-10"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("publishing without the CSRF token: %d", resp.StatusCode)
	}
	if resp, body := admin.PostForm("/console/bulletin/publish", url.Values{"_csrf": {csrf}, "month": {"2026-12"}}); resp.StatusCode != http.StatusConflict ||
		!strings.Contains(body, "尚未结束") {
		t.Fatalf("publishing a running month: %d", resp.StatusCode)
	}
	if resp, _ := admin.PostForm("/console/bulletin/publish", october); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	if resp, body := admin.PostForm("/console/bulletin/publish", october); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "已发布") {
		t.Fatalf("publishing twice: %d", resp.StatusCode)
	}
	page, doc, xlsx := bulletinViews(t, viewer, "month=2026-10")
	if doc.Status != branch.Published || doc.Publication.PublishedBy != "admin1" || len(doc.History) != 1 ||
		!strings.Contains(page.full, `id="bulletin-status">已发布`) || strings.Contains(page.full, `id="publish"`) {
		t.Fatalf("after publishing: %s, %+v, %d publications", doc.Status, doc.Publication, len(doc.History))
	}

	// A scheme from October is refused; one from November is saved.
	v2 := schemeV2()
	v2.EffectiveFrom = "2026-10"
	if _, err := n.b.Svc.SaveScheme(ctx, v2, "李科长"); models.ErrorCode(err) != models.ECONFLICT || !strings.Contains(err.Error(), "2026-10 的通报已发布") {
		t.Fatalf("a scheme taking effect in a published month: %v", err)
	}
	v2.EffectiveFrom = "2026-11"
	if _, err := n.b.Svc.SaveScheme(ctx, v2, "李科长"); err != nil {
		t.Fatal(err)
	}
	page2, doc2, xlsx2 := bulletinViews(t, viewer, "month=2026-10")
	if page2.article != page.article || string(doc2.Bulletin) != string(doc.Bulletin) || xlsx2 != xlsx {
		t.Fatal("October's published bulletin changed with a later scheme")
	}
	var oct, nov branch.Bulletin
	json.Unmarshal(doc.Bulletin, &oct)
	_, novDoc, _ := bulletinViews(t, viewer, "month=2026-11")
	json.Unmarshal(novDoc.Bulletin, &nov)
	if oct.Schemes[0].Version != 1 || nov.Schemes[0].Version != 2 || novDoc.Status != "draft" {
		t.Fatalf("schemes: October v%d, November v%d (%s)", oct.Schemes[0].Version, nov.Schemes[0].Version, novDoc.Status)
	}

	// A late revision of 15 October: listed, not applied.
	r := branchseed.Report("SY004", "2026-10-15", 1, 4)
	r.Revision = 2
	r.Totals.CheckIns += 50
	r.Channels.Assisted += 50
	r.Categories[0].CheckIns += 50
	r.Hours[12] += 50
	n.b.MustPush(n.outlets["SY004"], r)
	page3, doc3, xlsx3 := bulletinViews(t, viewer, "month=2026-10")
	before, _ := oct.Row("SY004")
	changes := map[string][2]int64{}
	for _, c := range doc3.Changes {
		if c.Code == "SY004" {
			changes[c.Figure] = [2]int64{c.Published, c.Current}
		}
	}
	// Its figures, and a flag: the day changed after the month closed.
	want := map[string][2]int64{"checkins": {before.Figures.CheckIns, before.Figures.CheckIns + 50},
		"hours_checkins": {before.Figures.HoursCheckIns, before.Figures.HoursCheckIns + 50}, "flags": {0, 1}}
	if page3.article != page.article || string(doc3.Bulletin) != string(doc.Bulletin) || len(doc3.Changes) != 3 ||
		fmt.Sprint(changes) != fmt.Sprint(want) {
		t.Fatalf("after a late revision: changes %+v, want %v", doc3.Changes, want)
	}
	if !strings.Contains(page3.full, `id="bulletin-changes"`) || !strings.Contains(page3.full, `data-outlet="SY004" data-figure="checkins"`) {
		t.Fatal("the page does not list the change after publication")
	}
	// (The sheet read back keeps one row per outlet: its last change.)
	if ch := readSheets(t, []byte(xlsx3))["发布后变动 Changed"]; ch.cell("SY004", "数字") != "核查提示 flags" || ch.cell("SY004", "现在") != "1" {
		t.Fatalf("the workbook's changes: %v", ch.rows)
	}

	// Withdrawing: a reason first; then a draft with the current figures.
	withdraw := url.Values{"_csrf": {csrf}, "month": {"2026-10"}, "form": {"withdraw"}, "reason": {"  "}}
	if resp, body := admin.PostForm("/console/bulletin/withdraw", withdraw); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "撤回原因") {
		t.Fatalf("withdrawing without a reason: %d", resp.StatusCode)
	}
	withdraw.Set("reason", "网点 SY004 更正了 10 月 15 日的数字")
	if resp, _ := admin.PostForm("/console/bulletin/withdraw", withdraw); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", resp.StatusCode)
	}
	page4, doc4, _ := bulletinViews(t, viewer, "month=2026-10")
	var draft branch.Bulletin
	json.Unmarshal(doc4.Bulletin, &draft)
	now, _ := draft.Row("SY004")
	if doc4.Status != "draft" || len(doc4.History) != 1 || doc4.History[0].Status != branch.Withdrawn ||
		doc4.History[0].Reason != "网点 SY004 更正了 10 月 15 日的数字" || doc4.History[0].WithdrawnBy != "admin1" ||
		len(doc4.Changes) != 0 || now.Figures.CheckIns != before.Figures.CheckIns+50 || !strings.Contains(page4.full, "已撤回 withdrawn") {
		t.Fatalf("after withdrawing: %s, history %+v, SY004 %d check-ins", doc4.Status, doc4.History, now.Figures.CheckIns)
	}
	if resp, _ := admin.PostForm("/console/bulletin/publish", october); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publishing again: %d", resp.StatusCode)
	}
	if _, doc5, _ := bulletinViews(t, viewer, "month=2026-10"); len(doc5.History) != 2 || doc5.Status != branch.Published {
		t.Fatalf("published again: %s, %d publications", doc5.Status, len(doc5.History))
	}
}

// bulletinPage is a bulletin page: all of it, and its document.
type bulletinPage struct{ full, article string }

// bulletinDoc is GET /api/v1/bulletin's answer, the bulletin kept as bytes.
type bulletinDoc struct {
	Status      string
	Publication *branch.Publication
	Bulletin    json.RawMessage
	Changes     []branch.FigureChange `json:"changed_after_publication"`
	History     []branch.Publication
}

// bulletinViews fetches the bulletin of query as a page, as JSON and as a
// workbook.
func bulletinViews(t *testing.T, c *apptest.Client, query string) (bulletinPage, bulletinDoc, string) {
	t.Helper()
	resp, full := c.Get("/console/bulletin?" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("bulletin page %s: %d", query, resp.StatusCode)
	}
	from, to := strings.Index(full, "<article"), strings.Index(full, "</article>")
	if from < 0 || to < from {
		t.Fatalf("bulletin page %s has no document", query)
	}
	var doc bulletinDoc
	getJSON(t, c, "/api/v1/bulletin?"+query, &doc)
	resp, xlsx := c.Get("/console/bulletin.xlsx?" + query)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("bulletin workbook %s: %d", query, resp.StatusCode)
	}
	return bulletinPage{full: full, article: full[from : to+len("</article>")]}, doc, xlsx
}
