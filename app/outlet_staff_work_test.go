package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/models"
)

// staffClient logs a new client in as name and returns it with its CSRF token.
func staffClient(t *testing.T, o *apptest.Outlet, name, ip string) (*apptest.Client, string) {
	t.Helper()
	c := apptest.NewClient(t, o.HTTP, ip)
	return c, apptest.StaffLogin(t, c, name, testPassword)
}

func postOK(t *testing.T, c *apptest.Client, path string, form url.Values) {
	t.Helper()
	resp, body := c.PostForm(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
	}
}

func TestAssistedCheckInCountsInReport(t *testing.T) {
	o := staffOutlet(t)
	c, tok := staffClient(t, o, "clerk", "10.3.0.1")
	submitStation(t, apptest.NewClient(t, o.HTTP, "10.3.0.2"), o, url.Values{"a": {"water"}})
	postOK(t, c, "/staff/assisted", url.Values{"_csrf": {tok}, "a": {"water", "rest"}, "c": {"sanitation"}, "people": {"3"}})

	r := report(t, o, "2026-11-25")
	if r.Totals.CheckIns != 4 || r.Totals.Visitors != 4 || r.Channels.Assisted != 3 || r.Channels.Poster != 1 {
		t.Fatalf("totals %+v channels %+v", r.Totals, r.Channels)
	}
	got := map[string]int{}
	for _, a := range r.Amenities {
		got[a.Code] = a.CheckIns
	}
	if got["water"] != 4 || got["rest"] != 3 {
		t.Fatalf("amenities %+v", r.Amenities)
	}
	var staff string
	o.Svc.DB().Read.Raw(`SELECT staff FROM checkins WHERE channel = 'assisted'`).Scan(&staff)
	if staff != "clerk" {
		t.Fatalf("assisted visit recorded by %q, want clerk", staff)
	}
	for _, bad := range []url.Values{{"a": {"water"}, "people": {"0"}}, {"people": {"1"}}, {"a": {"nope"}, "people": {"1"}}} {
		bad.Set("_csrf", tok)
		if resp, _ := c.PostForm("/staff/assisted", bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("bad assisted form %v: %d", bad, resp.StatusCode)
		}
	}
	if _, body := c.Get("/staff/today"); !strings.Contains(body, `id="total-checkins">4<`) {
		t.Fatal("Today should show 4 check-ins")
	}
}

func TestFeedbackAndActivitiesInReport(t *testing.T) {
	o := staffOutlet(t)
	worker := apptest.NewClient(t, o.HTTP, "10.3.0.3")
	for _, f := range []url.Values{{"rating": {"2"}, "amenity": {"water"}, "text": {"水太凉"}}, {"rating": {"5"}}} {
		resp, body := worker.PostForm("/k/DEMO01/feedback", f)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("feedback: %d %s", resp.StatusCode, body)
		}
	}
	if resp, _ := worker.PostForm("/k/DEMO01/feedback", url.Values{"text": {"no rating"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("feedback without a rating: %d", resp.StatusCode)
	}
	if resp, _ := worker.PostForm("/k/DEMO01/feedback", url.Values{"rating": {"3"}, "text": {strings.Repeat("字", 501)}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("feedback over 500 characters: %d", resp.StatusCode)
	}
	c, tok := staffClient(t, o, "clerk", "10.3.0.4")
	items, _ := o.Svc.FeedbackList(t.Context(), true, 10)
	postOK(t, c, "/staff/feedback/"+itoa(items[0].ID)+"/resolve", url.Values{"_csrf": {tok}, "note": {"已感谢"}})
	postOK(t, c, "/staff/activities", url.Values{"_csrf": {tok}, "day": {"2026-11-25"}, "theme": {"反诈宣传进社区"},
		"venue": {"community"}, "participants": {"40"}})
	if resp, _ := c.PostForm("/staff/activities", url.Values{"_csrf": {tok}, "day": {"2026-11-26"}, "theme": {"明天"},
		"venue": {"school"}, "participants": {"1"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("activity in the future: %d", resp.StatusCode)
	}

	r := report(t, o, "2026-11-25")
	// The one resolved was received the same day: age 0.
	if r.Feedback == nil || !reflect.DeepEqual(*r.Feedback, models.FeedbackCounts{Received: 2, Resolved: 1, Open: 1,
		ResolvedAfter: []models.FeedbackAge{{Days: 0, Count: 1}}}) {
		t.Fatalf("feedback counts %+v", r.Feedback)
	}
	if len(r.Activities) != 1 || r.Activities[0].Theme != "反诈宣传进社区" || r.Activities[0].Venue != "community" || r.Activities[0].Participants != 40 {
		t.Fatalf("activities %+v", r.Activities)
	}
	// The next day starts with the one open item.
	if next := report(t, o, "2026-11-26"); !reflect.DeepEqual(*next.Feedback, models.FeedbackCounts{Open: 1}) || len(next.Activities) != 0 {
		t.Fatalf("next day %+v %+v", next.Feedback, next.Activities)
	}
	if _, body := c.Get("/staff/activities?month=2026-11"); !strings.Contains(body, "反诈宣传进社区") || !strings.Contains(body, "40") {
		t.Fatal("the month list should show the activity")
	}
}

func TestStaffPagesEscapeUserText(t *testing.T) {
	o := staffOutlet(t)
	evil := `<script>alert(1)</script>`
	worker := apptest.NewClient(t, o.HTTP, "10.3.0.5")
	worker.PostForm("/k/DEMO01/feedback", url.Values{"rating": {"1"}, "text": {evil}})
	c, tok := staffClient(t, o, "mgr", "10.3.0.6")
	postOK(t, c, "/staff/activities", url.Values{"_csrf": {tok}, "day": {"2026-11-25"}, "theme": {evil}, "venue": {"outlet"}, "participants": {"1"}})
	postOK(t, c, "/staff/amenities", url.Values{"_csrf": {tok}, "code": {"xss"}, "zh": {"<b>粗</b>"}, "en": {evil}, "group": {"tools"}, "icon": {"toolbox"}})
	items, _ := o.Svc.FeedbackList(t.Context(), true, 1)
	postOK(t, c, "/staff/feedback/"+itoa(items[0].ID)+"/resolve", url.Values{"_csrf": {tok}, "note": {evil}})
	rec := apptest.NewClient(t, o.HTTP, "10.3.0.7")
	submitStation(t, rec, o, url.Values{"a": {"xss"}})

	pages := []string{"/staff/today", "/staff/feedback?all=1", "/staff/activities", "/staff/amenities", "/staff/history",
		"/staff/posters/station", "/staff/posters/stickers", stationPath(o, "")}
	for _, path := range pages {
		resp, body := c.Get(path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<b>粗") {
			t.Errorf("%s shows user text unescaped", path)
		}
	}
	if _, body := c.Get("/staff/today"); !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("Today should show the feedback text, escaped")
	}
}

func TestDisabledAmenityLeavesKioskAtOnce(t *testing.T) {
	o := staffOutlet(t)
	c, tok := staffClient(t, o, "mgr", "10.3.0.8")
	worker := apptest.NewClient(t, o.HTTP, "10.3.0.9")
	if _, body := worker.Get(stationPath(o, "")); !strings.Contains(body, `value="tv"`) {
		t.Fatal("tv should be offered first")
	}
	postOK(t, c, "/staff/amenities/tv/enabled", url.Values{"_csrf": {tok}, "on": {"0"}})
	if _, body := worker.Get(stationPath(o, "")); strings.Contains(body, `value="tv"`) {
		t.Fatal("a disabled amenity is still on the station page")
	}
	if resp, _ := worker.Get(stationPath(o, "tv")); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("sticker of a disabled amenity: %d, want 404", resp.StatusCode)
	}
	postOK(t, c, "/staff/amenities/tv/enabled", url.Values{"_csrf": {tok}, "on": {"1"}})
	postOK(t, c, "/staff/amenities/tv/move", url.Values{"_csrf": {tok}, "dir": {"up"}})
	am := o.Svc.Profile().Amenities
	if am[8].Code != "tv" || am[9].Code != "heating" {
		t.Fatalf("tv should have moved above heating: %v %v", am[8].Code, am[9].Code)
	}
	postOK(t, c, "/staff/amenities/hours", url.Values{"_csrf": {tok}, "hours": {"周一至周五 8:30-17:00"}})
	if _, body := worker.Get(stationPath(o, "")); !strings.Contains(body, "周一至周五 8:30-17:00") {
		t.Fatal("the station page should show the opening hours")
	}
	for _, code := range []string{"done", "feedback", "water", "Bad"} {
		resp, _ := c.PostForm("/staff/amenities", url.Values{"_csrf": {tok}, "code": {code}, "zh": {"测试"}, "en": {"Test"}, "group": {"tools"}, "icon": {"toolbox"}})
		if resp.StatusCode < 400 {
			t.Errorf("custom code %q accepted", code)
		}
	}
}

func TestReplacePostersRevokesOldCodes(t *testing.T) {
	o := staffOutlet(t)
	c, tok := staffClient(t, o, "mgr", "10.3.0.10")
	oldStation, oldSticker := stationPath(o, ""), stationPath(o, "water")
	if _, body := c.Get("/staff/posters/station"); !strings.Contains(body, `class="qr"`) {
		t.Fatal("the poster page should carry a QR code")
	}
	if resp, _ := c.PostForm("/staff/posters/replace", url.Values{"_csrf": {tok}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("replace without the confirmation box: %d", resp.StatusCode)
	}
	postOK(t, c, "/staff/posters/replace", url.Values{"_csrf": {tok}, "confirm": {"yes"}})
	if o.Svc.Profile().PosterVersion != 2 {
		t.Fatalf("poster version %d, want 2", o.Svc.Profile().PosterVersion)
	}
	worker := apptest.NewClient(t, o.HTTP, "10.3.0.11")
	for _, path := range []string{oldStation, oldSticker} {
		resp, body := worker.Get(path)
		if resp.StatusCode != http.StatusGone || !strings.Contains(body, "已经更换") {
			t.Fatalf("old code %s: %d", path, resp.StatusCode)
		}
	}
	u, _ := url.Parse(oldSticker)
	resp, _ := worker.PostForm(u.Path, url.Values{"t": {u.Query().Get("t")}, "a": {"water"}})
	if resp.StatusCode != http.StatusGone || countRows(t, o, "checkins") != 0 {
		t.Fatalf("an old code counted: %d, %d check-ins", resp.StatusCode, countRows(t, o, "checkins"))
	}
	if resp, _ := worker.Get(stationPath(o, "")); resp.StatusCode != 200 {
		t.Fatalf("new poster code: %d", resp.StatusCode)
	}
}

func TestStatsAPI(t *testing.T) {
	o := staffOutlet(t)
	submitStation(t, apptest.NewClient(t, o.HTTP, "10.3.0.12"), o, url.Values{"a": {"water", "tea"}, "c": {"courier"}})
	anon := apptest.NewClient(t, o.HTTP, "10.3.0.13")
	if resp, _ := anon.Get("/api/v1/stats"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("stats without login: %d", resp.StatusCode)
	}
	c, tok := staffClient(t, o, "mgr", "10.3.0.14")
	resp, body := c.Get("/api/v1/stats?from=2026-11-20&to=2026-11-25")
	var s outlet.RangeStats
	if resp.StatusCode != 200 || json.Unmarshal([]byte(body), &s) != nil {
		t.Fatalf("stats with a session: %d %s", resp.StatusCode, body)
	}
	r := report(t, o, "2026-11-25")
	last := s.Days[len(s.Days)-1]
	if len(s.Days) != 6 || last.CheckIns != r.Totals.CheckIns || last.Visitors != r.Totals.Visitors || s.Totals.CheckIns != 1 ||
		len(s.Amenities) != 2 || s.Categories[0].Code != "courier" || s.Hours[10] != 1 {
		t.Fatalf("stats %+v vs report %+v", s, r)
	}

	resp, body = c.PostForm("/staff/accounts/tokens", url.Values{"_csrf": {tok}, "name": {"分行报表"}})
	secret := between(body, `<p class="secret" id="new-token">`, "</p>")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(secret, "hbt_") {
		t.Fatalf("create token: %d %q", resp.StatusCode, secret)
	}
	req := apptest.Request("GET", "/api/v1/stats?from=2026-11-25&to=2026-11-25", "", "")
	req.Header.Set("Authorization", "Bearer "+secret)
	if resp, body := anon.Do(req); resp.StatusCode != 200 || !strings.Contains(body, `"checkins":1`) {
		t.Fatalf("stats with the token: %d %s", resp.StatusCode, body)
	}
	tokens, _ := o.Auth.APITokens(t.Context())
	postOK(t, c, "/staff/accounts/tokens/"+itoa(tokens[0].ID)+"/revoke", url.Values{"_csrf": {tok}})
	req = apptest.Request("GET", "/api/v1/stats", "", "")
	req.Header.Set("Authorization", "Bearer "+secret)
	if resp, _ := anon.Do(req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", resp.StatusCode)
	}
	if resp, _ := c.Get("/api/v1/stats?from=2026-11-25&to=2026-01-01"); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("reversed range: %d", resp.StatusCode)
	}
}

func TestManagerManagesAccounts(t *testing.T) {
	o := staffOutlet(t)
	c, tok := staffClient(t, o, "mgr", "10.3.0.15")
	postOK(t, c, "/staff/accounts/users", url.Values{"_csrf": {tok}, "name": {"李四"}, "role": {"staff"}, "password": {testPassword}})
	if resp, _ := loginForm(t, apptest.NewClient(t, o.HTTP, "10.3.0.16"), "李四", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new account cannot log in: %d", resp.StatusCode)
	}
	clerk, _ := staffClient(t, o, "clerk", "10.3.0.17")
	postOK(t, c, "/staff/accounts/users/disabled", url.Values{"_csrf": {tok}, "name": {"clerk"}, "disabled": {"1"}})
	if resp, _ := clerk.Get("/staff/today"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a disabled account's session still works: %d", resp.StatusCode)
	}
	if resp, _ := c.PostForm("/staff/accounts/users/disabled", url.Values{"_csrf": {tok}, "name": {"mgr"}, "disabled": {"1"}}); resp.StatusCode != http.StatusConflict {
		t.Fatalf("a manager disabled their own account: %d", resp.StatusCode)
	}
	if resp, body := c.PostForm("/staff/accounts/users", url.Values{"_csrf": {tok}, "name": {"x"}, "role": {"root"}, "password": {"1"}}); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "账号名") {
		t.Fatalf("bad account: %d", resp.StatusCode)
	}
	if _, body := c.Get("/staff/accounts"); !strings.Contains(body, "李四") || !strings.Contains(body, "停用 Disabled") {
		t.Fatal("accounts page should list the new and the disabled account")
	}
}

// TestFeedbackFormIsLight keeps the workers' feedback form within the kiosk
// budget (14 KB gzip) and free of scripts: it works without JavaScript.
func TestFeedbackFormIsLight(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.3.0.18")
	_, station := c.Get(stationPath(o, ""))
	if !strings.Contains(station, `href="/k/DEMO01/feedback?`) {
		t.Fatal("the station page should link to the feedback form")
	}
	resp, body := c.Get("/k/DEMO01/feedback?t=" + o.Svc.PosterToken(""))
	if resp.StatusCode != 200 || strings.Contains(body, "<script") || !strings.Contains(body, "个人信息") {
		t.Fatalf("feedback form: %d", resp.StatusCode)
	}
	if n := gzipSize(body); n > 14*1024 {
		t.Fatalf("feedback form is %d bytes gzip; the budget is 14 KB", n)
	}
	resp, _ = c.PostForm("/k/DEMO01/feedback", url.Values{"rating": {"4"}, "t": {o.Svc.PosterToken("")}})
	if _, thanks := c.Get(resp.Header.Get("Location")); !strings.Contains(thanks, "谢谢您的意见") || !strings.Contains(thanks, "/k/DEMO01?") {
		t.Fatal("after sending: thanks and a way back to the station page")
	}
	if resp, _ := c.Get("/k/OTHER/feedback"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another outlet's feedback form: %d", resp.StatusCode)
	}
}
