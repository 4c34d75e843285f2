package app_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"harbor/app/apptest"
	"harbor/handlers"
)

// hostile is one bad request and the answer it must get.
type hostile struct {
	name        string
	as          string // "" anonymous, "staff", "manager", "nocsrf" (staff session, no token)
	method      string
	path        string
	contentType string
	body        string
	header      map[string]string
	status      int
	code        string // error code in the JSON answer; "" for an HTML page
}

// tableChecksum hashes every row of every table but those named in skip.
func tableChecksum(t *testing.T, g *gorm.DB, skip ...string) string {
	t.Helper()
	var tables []string
	g.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).Scan(&tables)
	h := sha256.New()
	for _, tbl := range tables {
		if strings.Contains(","+strings.Join(skip, ",")+",", ","+tbl+",") {
			continue
		}
		rows, err := g.Raw(`SELECT * FROM "` + tbl + `"`).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			lines = append(lines, fmt.Sprintf("%s%v", tbl, vals))
		}
		rows.Close()
		sort.Strings(lines)
		fmt.Fprintln(h, strings.Join(lines, "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c hostile) run(t *testing.T, do func(*http.Request) (*http.Response, string)) {
	t.Helper()
	req := apptest.Request(c.method, c.path, c.contentType, c.body)
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, body := do(req)
	if resp.StatusCode != c.status {
		t.Fatalf("%s %s: status %d, want %d: %.300s", c.method, c.path, resp.StatusCode, c.status, body)
	}
	if c.code != "" {
		var e struct {
			Error struct{ Code, Message string }
		}
		if json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != c.code || e.Error.Message == "" {
			t.Fatalf("%s %s: answer %.300s, want code %q", c.method, c.path, body, c.code)
		}
	}
	if strings.Contains(body, "<script>alert") {
		t.Fatalf("%s %s: the answer echoes a script", c.method, c.path)
	}
}

// headersOnly sends a request's line and headers, announcing its whole
// body's length but sending none of it, and reads the answer: a server must
// refuse an oversized body from its Content-Length alone. (Sending the body
// as well races the server closing the connection: broken pipe.)
func headersOnly(t *testing.T, base string) func(*http.Request) (*http.Response, string) {
	return func(req *http.Request) (*http.Response, string) {
		u, _ := url.Parse(base)
		conn, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			req.Method, req.URL.RequestURI(), u.Host, req.Header.Get("Content-Type"), req.ContentLength)
		resp, err := http.ReadResponse(bufio.NewReader(conn), req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
}

// TestHostileRequestsToTheOutlet: each bad request gets its status and
// error code, stores nothing, and the outlet keeps serving.
func TestHostileRequestsToTheOutlet(t *testing.T) {
	o := staffOutlet(t)
	o.AddStaff("boss", "manager", testPassword)
	code := o.Svc.Profile().Code
	tok := o.Svc.PosterToken("")
	old := tok
	live := o.Svc.LiveToken()
	o.Svc.ReplacePosters(t.Context())
	tok = o.Svc.PosterToken("")
	o.Clock.Advance(2 * time.Minute) // the live code is now too old

	clients := map[string]*apptest.Client{"": apptest.NewClient(t, o.HTTP, "10.5.0.1")}
	csrf := map[string]string{}
	for _, who := range []string{"staff", "manager"} {
		c := apptest.NewClient(t, o.HTTP, "10.5.0.2")
		name := map[string]string{"staff": "clerk", "manager": "boss"}[who]
		csrf[who] = apptest.StaffLogin(t, c, name, testPassword)
		clients[who] = c
	}
	clients["nocsrf"] = clients["staff"]
	js := "application/json"
	form := "application/x-www-form-urlencoded"
	checkin := func(extra string) string {
		return `{"token":"` + tok + `","amenities":["water"]` + extra + `}`
	}
	evil := `<script>alert(1)</script>`
	cases := []hostile{
		{"oversized body", "", "POST", "/api/v1/checkins", js, `{"token":"` + strings.Repeat("a", 70<<10) + `"}`, nil, 413, "too_large"},
		{"form as JSON endpoint", "", "POST", "/api/v1/checkins", form, "t=" + tok + "&a=water", nil, 415, "unsupported_media_type"},
		{"no content type", "", "POST", "/api/v1/checkins", "", checkin(""), nil, 415, "unsupported_media_type"},
		{"invalid UTF-8", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","amenities":["wat` + "\xff\xfe" + `er"]}`, nil, 400, "invalid"},
		{"huge number", "", "POST", "/api/v1/checkins", js, checkin(`,"category":1e400`), nil, 400, "invalid"},
		{"negative where a list belongs", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","amenities":-1}`, nil, 400, "invalid"},
		{"SQL injection code", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","amenities":["water'); DROP TABLE checkins;--"]}`, nil, 400, "invalid"},
		{"script as category", "", "POST", "/api/v1/checkins", js, checkin(`,"category":"` + strings.ReplaceAll(evil, `"`, `\"`) + `"`), nil, 400, "invalid"},
		{"unknown amenity", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","amenities":["sauna"]}`, nil, 400, "invalid"},
		{"too many amenities", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","amenities":[` + strings.Repeat(`"water",`, 100) + `"tea"]}`, nil, 400, "invalid"},
		{"missing token", "", "POST", "/api/v1/checkins", js, `{"amenities":["water"]}`, nil, 400, "bad_token"},
		{"duplicated field, last one forged", "", "POST", "/api/v1/checkins", js, `{"token":"` + tok + `","token":"p2.AAAAAAAAAAAAAAAA","amenities":["water"]}`, nil, 400, "bad_token"},
		{"unknown field", "", "POST", "/api/v1/checkins", js, checkin(`,"visitor":"me"`), nil, 400, "invalid"},
		{"replayed old poster", "", "POST", "/api/v1/checkins", js, `{"token":"` + old + `","amenities":["water"]}`, nil, 410, "token_replaced"},
		{"expired live code", "", "POST", "/api/v1/checkins", js, `{"token":"` + live + `","amenities":["water"]}`, nil, 410, "token_expired"},
		{"other outlet", "", "POST", "/api/v1/checkins", js, `{"outlet":"SY999","token":"` + tok + `","amenities":["water"]}`, nil, 404, "not_found"},
		{"wrong method", "", "PUT", "/api/v1/checkins", js, checkin(""), nil, 405, "method_not_allowed"},
		{"path trick", "", "GET", "/k/..%2f..%2fetc%2fpasswd", "", "", nil, 404, ""},
		{"static path trick", "", "GET", "/static/..%2f..%2fgo.mod", "", "", nil, 404, ""},
		{"unknown API", "", "GET", "/api/v1/../../etc/passwd", "", "", nil, 404, "not_found"},
		{"form: forged token", "", "POST", "/k/" + code, form, "t=p2.AAAAAAAAAAAAAAAA&a=water", nil, 400, ""},
		{"form: no amenity", "", "POST", "/k/" + code, form, "t=" + tok, nil, 400, ""},
		{"form: script amenity", "", "POST", "/k/" + code, form, "t=" + tok + "&a=" + url.QueryEscape(evil), nil, 400, ""},
		{"form: sticker for unknown amenity", "", "POST", "/k/" + code + "/sauna", form, "t=" + tok, nil, 400, ""},
		{"feedback: rating 9", "", "POST", "/k/" + code + "/feedback", form, "rating=9&text=hi", nil, 400, ""},
		{"feedback: 600 characters", "", "POST", "/k/" + code + "/feedback", form, "rating=3&text=" + strings.Repeat("长", 600), nil, 400, ""},
		{"feedback: other outlet", "", "POST", "/k/SY999/feedback", form, "rating=3", nil, 404, ""},
		{"stats without login", "", "GET", "/api/v1/stats?from=2026-11-01&to=2026-11-25", "", "", nil, 401, "unauthorized"},
		{"stats with a forged token", "", "GET", "/api/v1/stats", "", "", map[string]string{"Authorization": "Bearer hbt_forged"}, 401, "unauthorized"},
		{"display without key", "", "GET", "/display?key=guess", "", "", nil, 401, ""},
		{"console without login", "", "POST", "/staff/assisted", form, "a=water&people=1", nil, 403, ""},
		{"CSRF-less assisted visit", "nocsrf", "POST", "/staff/assisted", form, "a=water&people=1", nil, 403, ""},
		{"CSRF token of another session", "staff", "POST", "/staff/assisted", form, "_csrf=" + csrf["manager"] + "&a=water&people=1", nil, 403, ""},
		{"assisted: negative people", "staff", "POST", "/staff/assisted", form, "_csrf=" + csrf["staff"] + "&a=water&people=-5", nil, 400, ""},
		{"assisted: a million people", "staff", "POST", "/staff/assisted", form, "_csrf=" + csrf["staff"] + "&a=water&people=1000000", nil, 400, ""},
		{"assisted: unknown amenity", "staff", "POST", "/staff/assisted", form, "_csrf=" + csrf["staff"] + "&a=sauna&people=1", nil, 400, ""},
		{"activity: negative participants", "staff", "POST", "/staff/activities", form, "_csrf=" + csrf["staff"] + "&day=2026-11-25&theme=x&venue=community&participants=-3", nil, 400, ""},
		{"activity: impossible date", "staff", "POST", "/staff/activities", form, "_csrf=" + csrf["staff"] + "&day=2026-02-30&theme=x&venue=community&participants=3", nil, 400, ""},
		{"staff manages amenities", "staff", "POST", "/staff/amenities/water/enabled", form, "_csrf=" + csrf["staff"] + "&enabled=0", nil, 403, ""},
		{"staff replaces posters", "staff", "POST", "/staff/posters/replace", form, "_csrf=" + csrf["staff"], nil, 403, ""},
		{"staff adds an account", "staff", "POST", "/staff/accounts/users", form, "_csrf=" + csrf["staff"] + "&name=x&role=manager&password=longenough123", nil, 403, ""},
		{"manager: custom amenity with a script name", "manager", "POST", "/staff/amenities", form, "_csrf=" + csrf["manager"] + "&code=" + url.QueryEscape(evil) + "&zh=x&en=x&group=drink&icon=water", nil, 400, ""},
		{"history: reversed range", "staff", "GET", "/staff/history.csv?from=2026-11-25&to=2026-01-01", "", "", nil, 400, ""},
		{"history: not a date", "staff", "GET", "/staff/history.xlsx?from=yesterday&to=2026-11-25", "", "", nil, 400, ""},
	}
	before := tableChecksum(t, o.Svc.DB().Read, "sessions", "login_failures")
	base := apptest.ServeHTTP(t, o.HTTP)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.body) > handlers.MaxOutletBody {
				c.run(t, headersOnly(t, base)) // Fiber's in-memory test refuses big bodies itself
				return
			}
			c.run(t, clients[c.as].For(t).Do)
		})
	}
	if after := tableChecksum(t, o.Svc.DB().Read, "sessions", "login_failures"); after != before {
		t.Fatal("a rejected request changed the database")
	}
	if resp, _ := clients[""].Get("/healthz"); resp.StatusCode != 200 {
		t.Fatal("the outlet stopped serving")
	}
	submitStation(t, clients[""], o, url.Values{"a": {"water"}}) // and still records good ones
	if countRows(t, o, "checkins") != 1 {
		t.Fatal("a good check-in after the bad ones was not stored")
	}
	t.Logf("%d hostile requests to the outlet", len(cases))
}

// TestHostileRequestsToTheBranch: forged, skewed, replayed, malformed and
// misdirected pushes and enrollments are refused with their codes and
// store nothing.
func TestHostileRequestsToTheBranch(t *testing.T) {
	b := apptest.NewBranch(t, apptest.BranchConfig(t))
	sy1, sy2 := b.EnrollOutlet("SY001"), b.EnrollOutlet("SY002")
	now := b.Clock.Now()
	good := apptest.SampleReport("SY001", "2026-11-24", 1, 1)
	body := func(mutate func(*map[string]any)) []byte {
		raw, _ := json.Marshal(good)
		var m map[string]any
		json.Unmarshal(raw, &m)
		if mutate != nil {
			mutate(&m)
		}
		out, _ := json.Marshal(m)
		return out
	}
	signed := func(name string, o apptest.TestOutlet, raw []byte, at time.Time, status int, code string) hostile {
		req := o.SignedPush(raw, at)
		h := map[string]string{}
		for k := range req.Header {
			h[k] = req.Header.Get(k)
		}
		return hostile{name, "", "POST", "/api/v1/reports", "", string(raw), h, status, code}
	}
	set := func(k string, v any) func(*map[string]any) { return func(m *map[string]any) { (*m)[k] = v } }
	activity := func(theme, venue string, participants int) func(*map[string]any) {
		return set("activities", []map[string]any{{"theme": theme, "venue": venue, "participants": participants}})
	}
	js := "application/json"
	cases := []hostile{
		signed("report for another outlet", sy2, body(nil), now, 403, "outlet_mismatch"),
		signed("timestamp 10 minutes old (replay)", sy1, body(nil), now.Add(-10*time.Minute), 401, "clock_skew"),
		signed("timestamp in the future", sy1, body(nil), now.Add(6*time.Minute), 401, "clock_skew"),
		signed("negative count", sy1, body(set("totals", map[string]any{"checkins": -1, "visitors": 0})), now, 400, "invalid"),
		signed("day in the future", sy1, body(set("day", "2026-12-31")), now, 400, "future_day"),
		signed("unknown schema", sy1, body(set("schema", "harbor.report/v9")), now, 400, "unsupported_schema"),
		signed("unknown field", sy1, body(set("visitor_ids", []string{"a"})), now, 400, "invalid"),
		signed("hours too short", sy1, body(set("hours", []int{1, 2})), now, 400, "invalid"),
		signed("script as amenity code", sy1, body(set("amenities", []map[string]any{{"code": "<script>alert(1)</script>", "checkins": 1, "visitors": 1}})), now, 400, "invalid"),
		// Issue 10, item 10: what the outlet's own rules would refuse.
		signed("empty activity theme", sy1, body(activity("", "outlet", 7)), now, 400, "invalid"),
		signed("5,000-character theme", sy1, body(activity(strings.Repeat("宣", 5000), "outlet", 7)), now, 400, "invalid"),
		signed("theme with a control character", sy1, body(activity("反诈\x1b[2J", "outlet", 7)), now, 400, "invalid"),
		signed("unknown venue", sy1, body(activity("反诈宣传", "moon", 7)), now, 400, "invalid"),
		signed("200 × 10⁹ participants", sy1, body(set("activities", manyActivities(200, 1_000_000_000))), now, 400, "invalid"),
		signed("100,001 participants", sy1, body(activity("反诈宣传", "outlet", 100_001)), now, 400, "invalid"),
		signed("unknown category", sy1, body(set("categories", []map[string]any{{"code": "courier", "checkins": 4}, {"code": "astronaut", "checkins": 6}})), now, 400, "invalid"),
		signed("3,000 invented amenities", sy1, body(set("amenities", inventedAmenities(3000))), now, 400, "invalid"),
		signed("a day in 1989", sy1, body(set("day", "1989-06-01")), now, 400, "invalid"),
		signed("revision 2^62", sy1, body(set("revision", 1<<62)), now, 400, "invalid"),
		signed("revision 10^6 + 1 with none held", sy1, body(set("revision", 1_000_001)), now, 400, "invalid"),
		signed("another time zone", sy1, body(set("timezone", "Pacific/Kiritimati")), now, 409, "timezone_mismatch"),
	}
	tampered := signed("body changed after signing", sy1, body(nil), now, 401, "bad_signature")
	tampered.body = strings.Replace(tampered.body, `"checkins":10`, `"checkins":99`, 1)
	noSig := signed("no signature", sy1, body(nil), now, 401, "bad_signature")
	delete(noSig.header, "X-Harbor-Signature")
	unknown := signed("unknown outlet", sy1, body(nil), now, 401, "unknown_outlet")
	unknown.header["X-Harbor-Outlet"] = "SY404"
	wrongType := signed("wrong content type", sy1, body(nil), now, 415, "unsupported_media_type")
	wrongType.header["Content-Type"] = "text/plain"
	cases = append(cases, tampered, noSig, unknown, wrongType,
		hostile{"enroll with a guessed code", "", "POST", "/api/v1/enroll", js, `{"code":"AAAA-BBBB-CCCC-DDDD","public_key":"` + strings.Repeat("A", 43) + `="}`, nil, 401, "unauthorized"},
		hostile{"enroll with a bad key", "", "POST", "/api/v1/enroll", js, `{"code":"x","public_key":"not base64"}`, nil, 400, "invalid"},
		hostile{"enroll with SQL", "", "POST", "/api/v1/enroll", js, `{"code":"' OR 1=1 --","public_key":"` + strings.Repeat("A", 43) + `="}`, nil, 401, "unauthorized"},
		hostile{"reports by GET", "", "GET", "/api/v1/reports", "", "", nil, 405, "method_not_allowed"},
		hostile{"path trick", "", "GET", "/api/v1/../../branch.db", "", "", nil, 404, "not_found"},
	)
	before := b.ReportState() + strings.Join(b.Receipts(), "\n")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.run(t, func(req *http.Request) (*http.Response, string) {
				resp, err := b.HTTP.Test(req, -1)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				return resp, string(raw)
			})
		})
	}
	if after := b.ReportState() + strings.Join(b.Receipts(), "\n"); after != before {
		t.Fatal("a rejected push changed the branch's data")
	}
	if resp, text := b.Push(sy1, good); resp.StatusCode != 200 || !strings.Contains(text, "accepted") {
		t.Fatalf("a good push after the bad ones: %d %s", resp.StatusCode, text)
	}
	t.Logf("%d hostile requests to the branch", len(cases))
}

// manyActivities is n activities of participants each, for a report.
func manyActivities(n, participants int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"theme": "反诈宣传", "venue": "community", "participants": participants}
	}
	return out
}

// inventedAmenities is n made-up amenity codes without check-ins.
func inventedAmenities(n int) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = map[string]any{"code": fmt.Sprintf("made_up_%d", i), "checkins": 0, "visitors": 0}
	}
	return out
}
