package api_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/config"
	"harbor/models"
)

// apiError is the one error shape of the JSON API.
type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func errorCode(t *testing.T, body string) (code, message string) {
	t.Helper()
	var e apiError
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not a JSON error: %v: %s", err, body)
	}
	return e.Error.Code, e.Error.Message
}

type pushAnswer struct {
	Status          string `json:"status"`
	Outlet          string `json:"outlet"`
	Day             string `json:"day"`
	Revision        int    `json:"revision"`
	CurrentRevision int    `json:"current_revision"`
}

// mustPush pushes r and expects 200 with the given status and current revision.
func mustPush(t *testing.T, b *apptest.Branch, o apptest.TestOutlet, r models.Report, status string, current int) {
	t.Helper()
	resp, body := b.Push(o, r)
	var a pushAnswer
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &a) != nil {
		t.Fatalf("push %s r%d: %d %s", r.Day, r.Revision, resp.StatusCode, body)
	}
	want := pushAnswer{Status: status, Outlet: o.Code, Day: r.Day, Revision: r.Revision, CurrentRevision: current}
	if a != want {
		t.Fatalf("push %s r%d: got %+v, want %+v", r.Day, r.Revision, a, want)
	}
}

func enrollBody(code string, pub ed25519.PublicKey) string {
	return fmt.Sprintf(`{"code":%q,"public_key":%q}`, code, base64.StdEncoding.EncodeToString(pub))
}

func newKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

func TestBranchHealth(t *testing.T) { apptest.ForEachBranchBackend(t, testBranchHealth) }

func testBranchHealth(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	resp, body := b.Do(apptest.Request("GET", "/healthz", "", ""))
	if resp.StatusCode != 200 || !strings.Contains(body, `"role":"branch"`) {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	resp, body = b.Do(apptest.Request("GET", "/nowhere", "", ""))
	if code, _ := errorCode(t, body); resp.StatusCode != 404 || code != models.ENOTFOUND {
		t.Fatalf("unknown path: %d %s", resp.StatusCode, body)
	}
}

func TestEnrollOnce(t *testing.T) { apptest.ForEachBranchBackend(t, testEnrollOnce) }

func testEnrollOnce(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	ec, err := b.Svc.AddOutlet(context.Background(), "SY001", "十堰分行营业部", "张湾", 0)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv := newKey(t)
	resp, body := b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(ec.Code, pub)))
	if resp.StatusCode != 200 || body != `{"outlet":"SY001","name":"十堰分行营业部"}` {
		t.Fatalf("enroll: %d %s", resp.StatusCode, body)
	}
	before := b.ReportState()
	pub2, priv2 := newKey(t)
	resp, body = b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(ec.Code, pub2)))
	if code, _ := errorCode(t, body); resp.StatusCode != http.StatusGone || code != models.EENROLLUSED {
		t.Fatalf("reused code: %d %s", resp.StatusCode, body)
	}
	if b.ReportState() != before {
		t.Fatal("a reused code changed the database")
	}
	first := apptest.TestOutlet{Code: "SY001", Key: priv}
	mustPush(t, b, first, apptest.SampleReport("SY001", "2026-11-24", 1, 1), "accepted", 1)
	resp, body = b.Push(apptest.TestOutlet{Code: "SY001", Key: priv2}, apptest.SampleReport("SY001", "2026-11-24", 2, 1))
	if code, _ := errorCode(t, body); code != models.EBADSIG {
		t.Fatalf("push with the rejected key: %d %s", resp.StatusCode, body)
	}
}

func TestEnrollExpired(t *testing.T) { apptest.ForEachBranchBackend(t, testEnrollExpired) }

func testEnrollExpired(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	ec, err := b.Svc.AddOutlet(context.Background(), "SY001", "营业部", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	b.Clock.Advance(24*time.Hour + time.Second)
	pub, _ := newKey(t)
	before := b.ReportState()
	resp, body := b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(ec.Code, pub)))
	if code, _ := errorCode(t, body); resp.StatusCode != http.StatusGone || code != models.EENROLLEXPIRED {
		t.Fatalf("expired code: %d %s", resp.StatusCode, body)
	}
	if b.ReportState() != before {
		t.Fatal("an expired code changed the database")
	}
	// A fresh code works, and the old one stays dead.
	fresh, err := b.Svc.NewEnrollmentCode(context.Background(), "SY001", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	resp, body = b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(fresh.Code, pub)))
	if resp.StatusCode != 200 {
		t.Fatalf("fresh code: %d %s", resp.StatusCode, body)
	}
}

func TestEnrollNewCodeReplacesKey(t *testing.T) {
	apptest.ForEachBranchBackend(t, testEnrollNewCodeReplacesKey)
}

func testEnrollNewCodeReplacesKey(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	old := b.EnrollOutlet("SY001")
	unused, err := b.Svc.NewEnrollmentCode(context.Background(), "SY001", 0)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := b.Svc.NewEnrollmentCode(context.Background(), "SY001", 0)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv := newKey(t)
	resp, body := b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(unused.Code, pub)))
	if code, _ := errorCode(t, body); code != models.EENROLLEXPIRED {
		t.Fatalf("superseded code: %d %s", resp.StatusCode, body)
	}
	// Lower case and without dashes: the code is typed by people.
	typed := strings.ToLower(strings.ReplaceAll(fresh.Code, "-", ""))
	if resp, body = b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(typed, pub))); resp.StatusCode != 200 {
		t.Fatalf("re-enroll: %d %s", resp.StatusCode, body)
	}
	resp, body = b.Push(old, apptest.SampleReport("SY001", "2026-11-24", 1, 1))
	if code, _ := errorCode(t, body); code != models.EBADSIG {
		t.Fatalf("old key after re-enrollment: %d %s", resp.StatusCode, body)
	}
	mustPush(t, b, apptest.TestOutlet{Code: "SY001", Key: priv}, apptest.SampleReport("SY001", "2026-11-24", 1, 1), "accepted", 1)
}

func TestEnrollRejectsBadInput(t *testing.T) {
	apptest.ForEachBranchBackend(t, testEnrollRejectsBadInput)
}

func testEnrollRejectsBadInput(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	ec, err := b.Svc.AddOutlet(context.Background(), "SY001", "营业部", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	taken := b.EnrollOutlet("SY002")
	pub, _ := newKey(t)
	cases := []struct {
		name, contentType, body string
		status                  int
		code                    string
	}{
		{"unknown code", "application/json", enrollBody("AAAA-BBBB", pub), 401, models.EUNAUTHORIZED},
		{"short key", "application/json", fmt.Sprintf(`{"code":%q,"public_key":"AAAA"}`, ec.Code), 400, models.EINVALID},
		{"not base64", "application/json", fmt.Sprintf(`{"code":%q,"public_key":"!!"}`, ec.Code), 400, models.EINVALID},
		{"unknown field", "application/json", `{"code":"x","public_key":"","extra":1}`, 400, models.EINVALID},
		{"not JSON", "text/plain", enrollBody(ec.Code, pub), 415, models.EMEDIATYPE},
		{"key of another outlet", "application/json", enrollBody(ec.Code, taken.Key.Public().(ed25519.PublicKey)), 409, models.ECONFLICT},
	}
	before := b.ReportState()
	for _, tc := range cases {
		resp, body := b.Do(apptest.Request("POST", "/api/v1/enroll", tc.contentType, tc.body))
		if code, _ := errorCode(t, body); resp.StatusCode != tc.status || code != tc.code {
			t.Errorf("%s: got %d %s, want %d %s", tc.name, resp.StatusCode, body, tc.status, tc.code)
		}
	}
	if b.ReportState() != before {
		t.Fatal("a rejected enrollment changed the database")
	}
	if err := b.Svc.RevokeOutlet(context.Background(), "SY001"); err != nil {
		t.Fatal(err)
	}
	resp, body := b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(ec.Code, pub)))
	if code, _ := errorCode(t, body); resp.StatusCode != 403 || code != models.EREVOKED {
		t.Fatalf("revoked outlet: %d %s", resp.StatusCode, body)
	}
}

func TestReportRevisionRules(t *testing.T) { apptest.ForEachBranchBackend(t, testReportRevisionRules) }

func testReportRevisionRules(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	const day = "2026-11-24"
	mustPush(t, b, o, apptest.SampleReport(o.Code, day, 1, 1), "accepted", 1)

	rev2 := apptest.SampleReport(o.Code, day, 2, 2)
	rev2.Amenities = rev2.Amenities[1:] // tea dropped: its row must go too
	mustPush(t, b, o, rev2, "accepted", 2)
	state := b.ReportState()
	if strings.Contains(state, "tea") || !strings.Contains(state, "water 12 10") {
		t.Fatalf("revision 2 did not replace revision 1's rows:\n%s", state)
	}

	again := rev2
	again.GeneratedAt = day + "T23:59:30+08:00"
	mustPush(t, b, o, again, "accepted", 2)
	if b.ReportState() != state {
		t.Fatal("an identical revision changed the stored report")
	}

	resp, body := b.Push(o, apptest.SampleReport(o.Code, day, 2, 3))
	if code, msg := errorCode(t, body); resp.StatusCode != 409 || code != models.ECONFLICT || !strings.Contains(msg, "higher revision") {
		t.Fatalf("same revision, other content: %d %s", resp.StatusCode, body)
	}
	mustPush(t, b, o, apptest.SampleReport(o.Code, day, 1, 1), "stale", 2)
	if b.ReportState() != state {
		t.Fatal("a conflicting or stale push changed the stored report")
	}
	want := []string{"stored", "replaced", "duplicate", "conflict", "stale"}
	got := b.Receipts()
	if len(got) != len(want) {
		t.Fatalf("receipts %q, want outcomes %q", got, want)
	}
	for i := range want {
		if !strings.HasSuffix(got[i], " "+want[i]) {
			t.Fatalf("receipts %q, want outcomes %q", got, want)
		}
	}
}
