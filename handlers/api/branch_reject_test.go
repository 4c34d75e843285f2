package api_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/signing"
	"harbor/config"
	"harbor/models"
)

// rejectCase is one push the branch must refuse, storing nothing.
type rejectCase struct {
	name   string
	req    func() *http.Request
	status int
	code   string
	msg    string // part of the message, if it matters
}

// mutated returns the sample revision 2 of outlet with edit applied to its
// JSON object form.
func mutated(t *testing.T, outlet string, edit func(m map[string]any)) []byte {
	t.Helper()
	b, _ := json.Marshal(apptest.SampleReport(outlet, "2026-11-24", 2, 2))
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, _ := json.Marshal(m)
	return out
}

func TestReportRejections(t *testing.T) { apptest.ForEachBranchBackend(t, testReportRejections) }

func testReportRejections(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	other := b.EnrollOutlet("SY002")
	revoked := b.EnrollOutlet("SY003")
	ctx := context.Background()
	if err := b.Svc.RevokeOutlet(ctx, "SY003"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Svc.AddOutlet(ctx, "SY004", "未登记密钥", "", 0); err != nil {
		t.Fatal(err)
	}
	mustPush(t, b, o, apptest.SampleReport(o.Code, "2026-11-24", 1, 1), "accepted", 1)

	now := b.Clock.Now()
	good, _ := json.Marshal(apptest.SampleReport(o.Code, "2026-11-24", 2, 2))
	signed := func(who apptest.TestOutlet, body []byte) func() *http.Request {
		return func() *http.Request { return who.SignedPush(body, now) }
	}
	edit := func(f func(m map[string]any)) func() *http.Request { return signed(o, mutated(t, o.Code, f)) }
	field := func(path string, v any) func() *http.Request {
		return edit(func(m map[string]any) {
			keys := strings.Split(path, ".")
			obj := m
			for _, k := range keys[:len(keys)-1] {
				obj = obj[k].(map[string]any)
			}
			obj[keys[len(keys)-1]] = v
		})
	}
	withHeader := func(key, value string) func() *http.Request {
		return func() *http.Request { r := o.SignedPush(good, now); r.Header.Set(key, value); return r }
	}
	cases := []rejectCase{
		{"unknown outlet", func() *http.Request {
			return apptest.TestOutlet{Code: "NOPE", Key: o.Key}.SignedPush(good, now)
		}, 401, models.EUNKNOWNOUTLET, ""},
		{"no outlet header", withHeader(signing.OutletHeader, ""), 401, models.EUNKNOWNOUTLET, ""},
		{"not enrolled", signed(apptest.TestOutlet{Code: "SY004", Key: o.Key}, good), 401, models.ENOTENROLLED, ""},
		{"revoked outlet", signed(revoked, mutated(t, "SY003", func(map[string]any) {})), 403, models.EREVOKED, ""},
		{"signed by another key", signed(apptest.TestOutlet{Code: o.Code, Key: other.Key}, good), 401, models.EBADSIG, ""},
		{"body changed after signing", func() *http.Request {
			r := o.SignedPush(good, now)
			tampered := bytes.Replace(good, []byte(`"revision":2`), []byte(`"revision":3`), 1)
			r2 := httptest.NewRequest("POST", "/api/v1/reports", bytes.NewReader(tampered))
			r2.Header = r.Header
			return r2
		}, 401, models.EBADSIG, ""},
		{"malformed signature header", withHeader(signing.SignatureHeader, "t=1,sig=xyz"), 401, models.EBADSIG, ""},
		{"clock 6 minutes behind", func() *http.Request { return o.SignedPush(good, now.Add(-6*time.Minute)) }, 401, models.ESKEW, "clock skew"},
		{"clock 6 minutes ahead", func() *http.Request { return o.SignedPush(good, now.Add(6*time.Minute)) }, 401, models.ESKEW, "clock skew"},
		{"reporting for another outlet", signed(other, good), 403, models.EMISMATCH, ""},
		{"malformed JSON", signed(o, []byte(`{"schema":"harbor.report/v1",`)), 400, models.EINVALID, "malformed"},
		{"trailing data", signed(o, append(append([]byte{}, good...), `{}`...)), 400, models.EINVALID, "after the object"},
		{"wrong schema", field("schema", "harbor.report/v9"), 400, models.ESCHEMA, ""},
		{"revision as string", field("revision", "2"), 400, models.EINVALID, "revision"},
		{"count as float", field("totals.checkins", 20.5), 400, models.EINVALID, "checkins"},
		{"unknown field", field("extra", 1), 400, models.EINVALID, "unknown field"},
		{"unknown nested field", field("totals.people", 1), 400, models.EINVALID, "unknown field"},
		{"negative count", field("channels.assisted", -1), 400, models.EINVALID, "channels.assisted"},
		{"negative amenity visitors", edit(func(m map[string]any) {
			m["amenities"].([]any)[0].(map[string]any)["visitors"] = -2
		}), 400, models.EINVALID, "amenities[0].visitors"},
		{"impossible date", field("day", "2026-02-30"), 400, models.EINVALID, "day"},
		{"future day", field("day", "2026-11-26"), 400, models.EFUTUREDAY, ""},
		// 10:00 in Shanghai is still yesterday in Los Angeles.
		{"future in the report's time zone", edit(func(m map[string]any) {
			m["day"], m["timezone"] = "2026-11-25", "America/Los_Angeles"
		}), 400, models.EFUTUREDAY, ""},
		{"unknown time zone", field("timezone", "Mars/Olympus"), 400, models.EINVALID, "timezone"},
		{"revision 0", field("revision", 0), 400, models.EINVALID, "revision"},
		{"bad generated_at", field("generated_at", "yesterday"), 400, models.EINVALID, "generated_at"},
		{"channels do not add up", field("channels.live", 11), 400, models.EINVALID, "channels"},
		{"categories do not add up", edit(func(m map[string]any) {
			m["categories"] = []any{map[string]any{"code": "courier", "checkins": 3}}
		}), 400, models.EINVALID, "categories"},
		{"hours do not add up", edit(func(m map[string]any) { m["hours"].([]any)[3] = 1 }), 400, models.EINVALID, "hours"},
		{"23 hours", edit(func(m map[string]any) { m["hours"] = m["hours"].([]any)[:23] }), 400, models.EINVALID, "24"},
		{"25 hours", edit(func(m map[string]any) { m["hours"] = append(m["hours"].([]any), 0) }), 400, models.EINVALID, "24"},
		{"no hours", edit(func(m map[string]any) { delete(m, "hours") }), 400, models.EINVALID, "24"},
		{"duplicate amenity", edit(func(m map[string]any) {
			a := m["amenities"].([]any)
			m["amenities"] = append(a, a[0])
		}), 400, models.EINVALID, "twice"},
		{"duplicate category", edit(func(m map[string]any) {
			m["categories"] = []any{map[string]any{"code": "courier", "checkins": 10}, map[string]any{"code": "courier", "checkins": 10}}
			m["totals"].(map[string]any)["checkins"] = 20
		}), 400, models.EINVALID, ""},
		{"bad amenity code", edit(func(m map[string]any) {
			m["amenities"].([]any)[0].(map[string]any)["code"] = "Hot-Water"
		}), 400, models.EINVALID, "code"},
		{"bad category code", edit(func(m map[string]any) {
			m["categories"].([]any)[0].(map[string]any)["code"] = ""
		}), 400, models.EINVALID, "code"},
		{"amenity above the day's total", edit(func(m map[string]any) {
			m["amenities"].([]any)[0].(map[string]any)["checkins"] = 21
		}), 400, models.EINVALID, "amenity"},
		{"not JSON content type", withHeader("Content-Type", "text/plain"), 415, models.EMEDIATYPE, ""},
		{"compressed body", withHeader("Content-Encoding", "gzip"), 415, models.EMEDIATYPE, ""},
	}
	before, receipts := b.ReportState(), len(b.Receipts())
	for _, tc := range cases {
		resp, body := b.Do(tc.req())
		code, msg := errorCode(t, body)
		if resp.StatusCode != tc.status || code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s: got %d %s, want %d %s %q", tc.name, resp.StatusCode, body, tc.status, tc.code, tc.msg)
		}
		if b.ReportState() != before || len(b.Receipts()) != receipts {
			t.Fatalf("%s: a rejected push changed the database", tc.name)
		}
	}
	mustPush(t, b, o, apptest.SampleReport(o.Code, "2026-11-24", 2, 2), "accepted", 2)
}

// TestReportBodyLimit announces an oversized push to a real loopback
// server: Fiber answers 413 from the headers alone, before the body is read
// (app.Test reports that as a transport error instead).
func TestReportBodyLimit(t *testing.T) { apptest.ForEachBranchBackend(t, testReportBodyLimit) }

func testReportBodyLimit(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go b.HTTP.Listener(ln)
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/reports HTTP/1.1\r\nHost: branch.test\r\nContent-Type: application/json\r\n"+
		"%s: %s\r\n%s: %s\r\nContent-Length: %d\r\n\r\n", signing.OutletHeader, o.Code,
		signing.SignatureHeader, signing.Sign(o.Key, b.Clock.Now(), nil), 256<<10+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if code, _ := errorCode(t, string(body)); resp.StatusCode != 413 || code != models.ETOOLARGE {
		t.Fatalf("oversized push: %d %s", resp.StatusCode, body)
	}
	if len(b.Receipts()) != 0 {
		t.Fatal("an oversized push was recorded")
	}
}

func TestOversizedBodyRejectedByService(t *testing.T) {
	apptest.ForEachBranchBackend(t, testOversizedBodyRejectedByService)
}

func testOversizedBodyRejectedByService(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	body := bytes.Repeat([]byte(" "), 256<<10+1)
	_, err := b.Svc.Ingest(context.Background(), o.Code, signing.Sign(o.Key, b.Clock.Now(), body), body)
	if models.ErrorCode(err) != models.ETOOLARGE {
		t.Fatalf("got %v, want %s", err, models.ETOOLARGE)
	}
	// Exactly at the limit is fine, through Fiber and the service.
	good, _ := json.Marshal(apptest.SampleReport(o.Code, "2026-11-24", 1, 1))
	padded := append(bytes.Repeat([]byte(" "), 256<<10-len(good)), good...)
	if resp, text := b.Do(o.SignedPush(padded, b.Clock.Now())); resp.StatusCode != 200 {
		t.Fatalf("a push of exactly 256 KB: %d %s", resp.StatusCode, text)
	}
}

func TestLastContactOnAuthenticatedPushOnly(t *testing.T) {
	apptest.ForEachBranchBackend(t, testLastContactOnAuthenticatedPushOnly)
}

func testLastContactOnAuthenticatedPushOnly(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	lastContact := func() time.Time {
		outlets, err := b.Svc.ListOutlets(context.Background())
		if err != nil || len(outlets) != 1 || outlets[0].LastContactAt == nil {
			t.Fatalf("list: %v %+v", err, outlets)
		}
		return *outlets[0].LastContactAt
	}
	enrolled := lastContact()
	b.Clock.Advance(time.Minute)
	bad := o.SignedPush([]byte(`{}`), b.Clock.Now())
	bad.Header.Set(signing.SignatureHeader, signing.Sign(o.Key, b.Clock.Now(), []byte(`{"x":1}`)))
	if resp, _ := b.Do(bad); resp.StatusCode != 401 || !lastContact().Equal(enrolled) {
		t.Fatalf("an unauthenticated push counted as contact")
	}
	if resp, _ := b.Do(o.SignedPush([]byte(`{}`), b.Clock.Now())); resp.StatusCode != 400 {
		t.Fatalf("signed empty report: %d", resp.StatusCode)
	}
	if got := lastContact(); !got.Equal(b.Clock.Now().UTC().Truncate(time.Millisecond)) {
		t.Fatalf("last contact %s after a signed push at %s", got, b.Clock.Now())
	}
	b.Clock.Advance(time.Minute)
	mustPush(t, b, o, apptest.SampleReport(o.Code, "2026-11-25", 1, 1), "accepted", 1)
	outlets, _ := b.Svc.ListOutlets(context.Background())
	if lr := outlets[0].LastReport; lr == nil || lr.Day != "2026-11-25" || lr.Revision != 1 || !lr.Final {
		t.Fatalf("last report: %+v", lr)
	}
}
