package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/app/branch/scoring"
	"harbor/config"
	"harbor/models"
)

// TestSchemeEditor: admins save scheme versions on the console, viewers
// read them; every change is logged with who, when and what. Bad input —
// weights that do not add up to 100, a negative fund, a target of zero, a
// month that does not exist or has not begun — gets a clear error and
// stores nothing.
func TestSchemeEditor(t *testing.T) { apptest.ForEachBranchBackend(t, testSchemeEditor) }

func testSchemeEditor(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg) // 2026-11-25
	b.AddUser("admin1", models.RoleAdmin, adminPassword)
	admin := apptest.NewClient(t, b.HTTP, "10.1.0.2")
	csrf := apptest.ConsoleLogin(t, admin, "admin1", adminPassword)
	viewer := viewerClient(t, b)

	resp, page := viewer.Get("/console/scheme")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `<fieldset disabled>`) || strings.Contains(page, `id="save-scheme"`) ||
		!strings.Contains(page, `id="scheme-version">v0<`) {
		t.Fatalf("a viewer's scheme page: %d", resp.StatusCode)
	}
	form := schemeForm(schemeV1(), csrf)
	form.Set("effective_from", "2026-12")
	if resp, _ := viewer.PostForm("/console/scheme", form); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a viewer saving a scheme: %d", resp.StatusCode)
	}
	if resp, _ := admin.PostForm("/console/scheme", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	_, page = viewer.Get("/console/scheme")
	if !strings.Contains(page, `id="scheme-version">v1<`) || !strings.Contains(page, `<tr data-version="1"><td>v1 2026 年四季度方案</td><td>2026-12</td><td>admin1</td><td>2026-11-25 10:00</td>`) ||
		!strings.Contains(page, "「每开放小时服务人次」分组目标 — → 郊县=12") {
		t.Fatal("the change log does not say who, when and what")
	}
	if sc, err := b.Svc.SchemeFor(context.Background(), "2026-12"); err != nil || sc.Version != 1 || sc.Measures[0].Groups["郊县"] != 1200 {
		t.Fatalf("December's scheme: %+v %v", sc, err)
	}
	if sc, _ := b.Svc.SchemeFor(context.Background(), "2026-11"); sc.Version != 0 {
		t.Fatalf("November keeps the default, not v%d", sc.Version)
	}

	for _, bad := range []struct {
		field, value, message string
	}{
		{"weight.coverage", "0", "各指标权重合计 90，应为 100"},
		{"fund", "-1000", "激励基金不能为负数"},
		{"target.reporting", "0", "的目标应大于 0"},
		{"target.activities", "1.005", "最多两位小数"},
		{"effective_from", "2026-13", "应形如 2026-12"},
		{"rule", "lottery", "分配规则"},
	} {
		f := schemeForm(schemeV1(), csrf)
		f.Set("effective_from", "2027-01")
		f.Set(bad.field, bad.value)
		resp, body := admin.PostForm("/console/scheme", f)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, bad.message) ||
			!strings.Contains(body, `value="`+bad.value+`"`) && bad.field != "rule" {
			t.Errorf("%s=%s: %d, want 400 with %q and the value typed", bad.field, bad.value, resp.StatusCode, bad.message)
		}
	}
	if versions, err := b.Svc.Schemes(context.Background()); err != nil || len(versions) != 1 {
		t.Fatalf("bad forms stored something: %d versions (%v)", len(versions), err)
	}

	// A month that has not begun has no bulletin, and cannot be published.
	if resp, body := viewer.Get("/api/v1/bulletin?month=2027-03"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "尚无完整的一天") {
		t.Fatalf("the bulletin of a month to come: %d %s", resp.StatusCode, body)
	}
	if resp, body := viewer.Get("/console/bulletin?month=2027-03"); resp.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "尚无完整的一天") || !strings.Contains(body, `<article class="bulletin"`) {
		t.Fatalf("the bulletin page of a month to come: %d", resp.StatusCode)
	}
	if resp, _ := admin.PostForm("/console/bulletin/publish", url.Values{"_csrf": {csrf}, "month": {"2027-03"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("publishing a month to come: %d", resp.StatusCode)
	}
	var published int
	if err := b.Svc.DB().Read.Raw(`SELECT COUNT(*) FROM bulletins`).Scan(&published).Error; err != nil || published != 0 {
		t.Fatalf("%d bulletins stored (%v)", published, err)
	}
}

// schemeForm is sc as the editor's form posts it.
func schemeForm(sc scoring.Scheme, csrf string) url.Values {
	f := url.Values{"_csrf": {csrf}, "form": {"scheme"}, "effective_from": {sc.EffectiveFrom}, "name": {sc.Name},
		"flag_points": {strconv.Itoa(sc.FlagPoints)}, "flag_cap": {strconv.Itoa(sc.FlagCap)},
		"feedback_days": {strconv.Itoa(sc.FeedbackDays)}, "quarter_rule": {sc.QuarterRule}, "rule": {sc.Fund.Rule},
		"fund": {scoring.Centi(sc.Fund.PerOutletFen).String()}, "step": {scoring.Centi(sc.Fund.TierStepFen).String()}}
	for _, m := range sc.Measures {
		f.Set("weight."+m.Code, strconv.Itoa(m.Weight))
		f.Set("target."+m.Code, m.Target.Short())
		f.Set("groups."+m.Code, scoring.GroupText(m.Groups))
	}
	return f
}
