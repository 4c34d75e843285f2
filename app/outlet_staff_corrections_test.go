package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// TestCorrectAssistedVisitsAndActivities goes through the console: a clerk
// records two assisted visits and an activity, corrects one visit, voids
// the other and fixes the activity's figure; the report follows each
// change, a manager reads who changed what in the audit trail, and a clerk
// can neither correct a manager's entry nor read the trail.
func TestCorrectAssistedVisitsAndActivities(t *testing.T) {
	o := staffOutlet(t)
	clerk, ctok := staffClient(t, o, "clerk", "10.5.0.1")
	mgr, mtok := staffClient(t, o, "mgr", "10.5.0.2")
	postOK(t, clerk, "/staff/assisted", url.Values{"_csrf": {ctok}, "a": {"water"}, "people": {"120"}})
	postOK(t, clerk, "/staff/assisted", url.Values{"_csrf": {ctok}, "a": {"toilet", "rest"}, "c": {"courier"}, "people": {"4"}})
	postOK(t, mgr, "/staff/assisted", url.Values{"_csrf": {mtok}, "a": {"tea"}, "people": {"1"}})
	if r := report(t, o, "2026-11-25"); r.Totals.CheckIns != 125 {
		t.Fatalf("before corrections: %+v", r.Totals)
	}
	var ids []int64
	o.Svc.DB().Read.Raw(`SELECT id FROM checkins WHERE channel = 'assisted' ORDER BY id`).Scan(&ids)
	first, second, managers := itoa(ids[0]), itoa(ids[1]), itoa(ids[2])

	_, page := clerk.Get("/staff/assisted")
	contains(t, "the clerk's assisted page", page, `href="/staff/assisted/`+first+`"`, `href="/staff/assisted/`+second+`"`)
	if strings.Contains(page, `href="/staff/assisted/`+managers+`"`) {
		t.Error("a clerk is offered to correct a manager's entry")
	}
	// 120 was a typo for 12; a wrong form comes back as typed.
	resp, body := clerk.PostForm("/staff/assisted/"+first, url.Values{"_csrf": {ctok}, "a": {"water"}, "people": {"0"}, "reason": {"多打了一个0"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a correction to 0 people: %d", resp.StatusCode)
	}
	contains(t, "the correction form after a problem", body, "人数需在 1 到 200 之间 / people: 1 to 200",
		`value="water" checked`, `value="0"`, `value="多打了一个0"`)
	postOK(t, clerk, "/staff/assisted/"+first, url.Values{"_csrf": {ctok}, "a": {"water"}, "people": {"12"}, "reason": {"多打了一个0"}})
	postOK(t, clerk, "/staff/assisted/"+second+"/void", url.Values{"_csrf": {ctok}, "reason": {"重复登记"}})
	if resp, _ := clerk.PostForm("/staff/assisted/"+managers+"/void", url.Values{"_csrf": {ctok}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a clerk voiding a manager's entry: %d", resp.StatusCode)
	}
	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 13 || r.Totals.Visitors != 13 || r.Channels.Assisted != 13 || len(r.Categories) != 1 {
		t.Fatalf("after the corrections: %+v %+v", r.Totals, r.Categories)
	}

	postOK(t, clerk, "/staff/activities", url.Values{"_csrf": {ctok}, "day": {"2026-11-20"}, "theme": {"反诈宣传"},
		"venue": {"community"}, "participants": {"400"}})
	var act int64
	o.Svc.DB().Read.Raw(`SELECT id FROM activities`).Scan(&act)
	postOK(t, clerk, "/staff/activities/"+itoa(act), url.Values{"_csrf": {ctok}, "day": {"2026-11-20"}, "theme": {"反诈宣传"},
		"venue": {"community"}, "participants": {"40"}, "reason": {"参与人数多写了一个0"}})
	if r := report(t, o, "2026-11-20"); len(r.Activities) != 1 || r.Activities[0].Participants != 40 {
		t.Fatalf("the activity after its correction: %+v", r.Activities)
	}

	if resp, _ := clerk.Get("/staff/corrections"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a clerk reading the audit trail: %d", resp.StatusCode)
	}
	_, trail := mgr.Get("/staff/corrections")
	contains(t, "the audit trail", trail, "多打了一个0", "饮用水 · 未选人群 · 120 人", "饮用水 · 未选人群 · 12 人",
		"重复登记", "卫生间、休息座椅 · 快递员 · 4 人", "2026-11-20 · 反诈宣传 · 社区 · 400 人", "2026-11-20 · 反诈宣传 · 社区 · 40 人")
}

// TestConsoleErrorsKeepWhatWasTyped: console errors are in both languages,
// in the page, with every field as typed.
func TestConsoleErrorsKeepWhatWasTyped(t *testing.T) {
	o := staffOutlet(t)
	mgr, tok := staffClient(t, o, "mgr", "10.6.0.1")

	resp, body := mgr.PostForm("/staff/assisted", url.Values{"_csrf": {tok}, "c": {"courier"}, "people": {"3"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("assisted with nothing ticked: %d", resp.StatusCode)
	}
	contains(t, "the assisted form with nothing ticked", body, "请至少选择一项服务 / choose at least one service",
		`value="courier" checked`, `name="people" type="number" min="1" max="200" value="3"`, `<nav class="menu"`)

	resp, body = mgr.Get("/staff/activities?month=2026-13")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a month that does not exist: %d", resp.StatusCode)
	}
	contains(t, "the activities page of month 13", body, `月份 &#34;2026-13&#34; 应形如 2026-11`, "2026-11：0 场")

	resp, body = mgr.PostForm("/staff/activities", url.Values{"_csrf": {tok}, "day": {"2026-12-24"}, "theme": {"冬季防寒"},
		"venue": {"school"}, "participants": {"30"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("an activity in the future: %d", resp.StatusCode)
	}
	contains(t, "the activity form", body, "日期不能晚于今天 / the day cannot be in the future", `value="2026-12-24"`,
		`value="冬季防寒"`, `value="school" selected`, `value="30"`)

	resp, body = mgr.PostForm("/staff/amenities", url.Values{"_csrf": {tok}, "form": {"custom"}, "code": {"Shoe Polish"},
		"zh": {"擦鞋"}, "en": {"Shoe polish"}, "group": {"tools"}, "icon": {"toolbox"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a custom amenity with a bad code: %d", resp.StatusCode)
	}
	contains(t, "the custom amenity form", body, "代码需 2-32 位小写字母", `value="Shoe Polish"`, `value="擦鞋"`,
		`value="tools" selected`, `value="toolbox" checked`)

	resp, body = mgr.Get("/staff/nosuch")
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "没有这个页面 / no such page: /staff/nosuch") {
		t.Fatalf("an unknown console page: %d", resp.StatusCode)
	}
}

// TestAmenitiesPageKeepsItsPlace: a new custom amenity starts with no group
// and the generic icon; reordering, switching and pinning return to the
// row changed; a pinned amenity leads the station page.
func TestAmenitiesPageKeepsItsPlace(t *testing.T) {
	o := staffOutlet(t)
	mgr, tok := staffClient(t, o, "mgr", "10.7.0.1")
	_, body := mgr.Get("/staff/amenities")
	contains(t, "the custom amenity form", body, `<option value="">请选择 Choose…</option>`, `value="other" checked`,
		"防暑凉茶/冬季姜茶<br><code>seasonal_drink</code>")
	for _, path := range []string{"/staff/amenities/tv/move", "/staff/amenities/tv/pinned"} {
		resp, _ := mgr.PostForm(path, url.Values{"_csrf": {tok}, "dir": {"up"}, "on": {"1"}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "#a-tv") {
			t.Fatalf("POST %s: %d to %q, want the tv row", path, resp.StatusCode, loc)
		}
	}
	_, station := apptest.NewClient(t, o.HTTP, "10.7.0.2").Get(stationPath(o, ""))
	if first := strings.Index(station, `name="a" value="`); !strings.HasPrefix(station[first:], `name="a" value="tv"`) {
		t.Fatalf("the pinned amenity should come first on the station page: %.80s", station[first:])
	}
}
