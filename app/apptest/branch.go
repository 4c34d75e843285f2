package apptest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"harbor/app"
	"harbor/app/signing"
	"harbor/config"
	"harbor/models"
)

// BranchConfig returns a validated default branch config on a temp folder,
// on SQLite; BranchConfigPostgres is its PostgreSQL twin.
func BranchConfig(tb testing.TB) config.Branch {
	tb.Helper()
	cfg := config.BranchDefaults()
	cfg.DataDir = tb.TempDir()
	cfg.BaseURL = "http://branch.test"
	cfg.LogFormat = "text"
	// As for outlets: Fiber's test requests come from 0.0.0.0; trusting it
	// lets a test client claim an IP when ProxyHeader is set.
	cfg.TrustedProxies = []string{"0.0.0.0", "127.0.0.1"}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// Branch is a branch role under test.
type Branch struct {
	*app.Branch
	Clock *Clock
	tb    testing.TB
}

// NewBranch starts a branch on cfg (see BranchConfig) with a clock at
// 2026-11-25 10:00 Asia/Shanghai, closed when the test ends.
func NewBranch(tb testing.TB, cfg config.Branch) *Branch {
	tb.Helper()
	return NewBranchAt(tb, cfg, NewClock(time.Date(2026, 11, 25, 10, 0, 0, 0, Shanghai)))
}

// NewBranchAt starts a branch on cfg whose clock is clock.
func NewBranchAt(tb testing.TB, cfg config.Branch, clock *Clock) *Branch {
	tb.Helper()
	b, err := app.NewBranch(context.Background(), cfg, clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	return &Branch{Branch: b, Clock: clock, tb: tb}
}

// Do sends req through the real Fiber app and returns the response with
// its body read.
func (b *Branch) Do(req *http.Request) (*http.Response, string) {
	b.tb.Helper()
	resp, body, err := b.Send(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	return resp, body
}

// Send is Do for goroutines other than the test's: it returns the error
// instead of failing the test.
func (b *Branch) Send(req *http.Request) (*http.Response, string, error) {
	resp, err := b.HTTP.Test(req, -1)
	if err != nil {
		return nil, "", err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body), err
}

// TestOutlet is an outlet as a branch under test knows it: its code and
// the private key enrolled for it.
type TestOutlet struct {
	Code string
	Key  ed25519.PrivateKey
}

// EnrollOutlet registers code at the branch and enrolls a fresh key through
// POST /api/v1/enroll, as an outlet in Asia/Shanghai.
func (b *Branch) EnrollOutlet(code string) TestOutlet {
	b.tb.Helper()
	ec, err := b.Svc.AddOutlet(context.Background(), code, "网点 "+code, "test", 0)
	if err != nil {
		b.tb.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		b.tb.Fatal(err)
	}
	body := fmt.Sprintf(`{"code":%q,"public_key":%q,"timezone":"Asia/Shanghai"}`, ec.Code, base64.StdEncoding.EncodeToString(pub))
	resp, text := b.Do(Request("POST", "/api/v1/enroll", "application/json", body))
	if resp.StatusCode != http.StatusOK {
		b.tb.Fatalf("enroll %s: %d %s", code, resp.StatusCode, text)
	}
	return TestOutlet{Code: code, Key: priv}
}

// SignedPush builds POST /api/v1/reports carrying body signed by o at t.
func (o TestOutlet) SignedPush(body []byte, t time.Time) *http.Request {
	req := httptest.NewRequest("POST", "/api/v1/reports", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signing.OutletHeader, o.Code)
	req.Header.Set(signing.SignatureHeader, signing.Sign(o.Key, t, body))
	return req
}

// Push marshals r, signs it at the branch clock's time and sends it.
func (b *Branch) Push(o TestOutlet, r models.Report) (*http.Response, string) {
	b.tb.Helper()
	body, err := json.Marshal(r)
	if err != nil {
		b.tb.Fatal(err)
	}
	return b.Do(o.SignedPush(body, b.Clock.Now()))
}

// SampleReport returns a consistent report of outlet code for day, its
// figures scaled by n (n >= 1).
func SampleReport(code, day string, revision, n int) models.Report {
	r := models.Report{
		Schema: models.ReportSchema, Outlet: code, Day: day, TimeZone: "Asia/Shanghai",
		Revision: revision, Final: true, GeneratedAt: day + "T23:59:00+08:00",
		Totals: models.ReportTotals{CheckIns: 10 * n, Visitors: 8 * n},
		Amenities: []models.AmenityCount{
			{Code: "tea", CheckIns: 3 * n, Visitors: 3 * n},
			{Code: "water", CheckIns: 6 * n, Visitors: 5 * n},
		},
		Categories: []models.CategoryCount{{Code: "courier", CheckIns: 4 * n}, {Code: "sanitation", CheckIns: 6 * n}},
		Channels:   models.ChannelCounts{Live: 5 * n, Poster: 3 * n, Assisted: 2 * n},
		Feedback:   &models.FeedbackCounts{Received: n, Resolved: n, Open: 0},
		Activities: []models.ActivityReport{{Theme: "反诈宣传", Venue: "outlet", Participants: 7 * n}},
	}
	r.Hours[9], r.Hours[10] = 4*n, 6*n
	return r
}

// ReportState dumps the branch's stored outlets (but their last contact),
// enrollment codes, reports and figures, so that a test can check a
// rejected push stored nothing. Receipts are listed by Receipts.
func (b *Branch) ReportState() string {
	b.tb.Helper()
	var out strings.Builder
	for _, q := range []string{
		`SELECT code, name, grp, public_key, status, enrolled_at, revoked_at FROM outlets ORDER BY 1`,
		`SELECT * FROM enrollment_codes ORDER BY 1`,
		`SELECT * FROM reports ORDER BY 1, 2`,
		`SELECT * FROM report_amenities ORDER BY 1, 2, 3`,
		`SELECT * FROM report_categories ORDER BY 1, 2, 3`,
		`SELECT * FROM report_hours ORDER BY 1, 2, 3`,
		`SELECT * FROM report_feedback_ages ORDER BY 1, 2, 3`,
	} {
		rows, err := b.Svc.DB().Read.Raw(q).Rows()
		if err != nil {
			b.tb.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				b.tb.Fatal(err)
			}
			fmt.Fprintln(&out, vals...)
		}
		rows.Close()
		out.WriteString("--\n")
	}
	return out.String()
}

// Receipts lists every receipt as "OUTLET DAY rREVISION OUTCOME", oldest first.
func (b *Branch) Receipts() []string {
	b.tb.Helper()
	var rows []struct {
		Outlet, Day, Outcome string
		Revision             int
	}
	if err := b.Svc.DB().Read.Raw(`SELECT outlet, day, revision, outcome FROM report_receipts
		ORDER BY received_at, id`).Scan(&rows).Error; err != nil {
		b.tb.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("%s %s r%d %s", r.Outlet, r.Day, r.Revision, r.Outcome)
	}
	return out
}
