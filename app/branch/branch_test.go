package branch_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// variedReport is SampleReport with a third outlet's extra amenity and
// category, still consistent.
func variedReport(code, day string, n int) models.Report {
	r := apptest.SampleReport(code, day, 1, n)
	if n == 3 {
		r.Amenities = append(r.Amenities, models.AmenityCount{Code: "wifi", CheckIns: 2, Visitors: 1})
		r.Categories = []models.CategoryCount{{Code: "courier", CheckIns: 4*n - 1}, {Code: "delivery", CheckIns: 1},
			{Code: "sanitation", CheckIns: 6 * n}}
	}
	return r
}

// sumReports adds reports up the way Summary.Total should.
func sumReports(rs []models.Report) branch.Figures {
	var f branch.Figures
	amen := map[string]models.AmenityCount{}
	cats := map[string]int{}
	for _, r := range rs {
		f.CheckIns += r.Totals.CheckIns
		f.Visitors += r.Totals.Visitors
		f.Channels.Live += r.Channels.Live
		f.Channels.Poster += r.Channels.Poster
		f.Channels.Assisted += r.Channels.Assisted
		for h, n := range r.Hours {
			f.Hours[h] += n
		}
		for _, a := range r.Amenities {
			x := amen[a.Code]
			x.Code, x.CheckIns, x.Visitors = a.Code, x.CheckIns+a.CheckIns, x.Visitors+a.Visitors
			amen[a.Code] = x
		}
		for _, c := range r.Categories {
			cats[c.Code] += c.CheckIns
		}
		f.Feedback.Received += r.Feedback.Received
		f.Feedback.Resolved += r.Feedback.Resolved
		f.Activities += len(r.Activities)
		for _, a := range r.Activities {
			f.Participants += a.Participants
		}
	}
	for _, code := range []string{"tea", "water", "wifi"} {
		if a, ok := amen[code]; ok {
			f.Amenities = append(f.Amenities, a)
		}
	}
	for _, code := range []string{"courier", "delivery", "sanitation"} {
		if n, ok := cats[code]; ok {
			f.Categories = append(f.Categories, models.CategoryCount{Code: code, CheckIns: n})
		}
	}
	return f
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSummaryEqualsSumOfReports(t *testing.T) {
	apptest.ForEachBranchBackend(t, testSummaryEqualsSumOfReports)
}

func testSummaryEqualsSumOfReports(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	const day = "2026-11-24"
	var day24 []models.Report
	for i, code := range []string{"SY001", "SY002", "SY003"} {
		o := b.EnrollOutlet(code)
		r := variedReport(code, day, i+1)
		if resp, body := b.Push(o, r); resp.StatusCode != http.StatusOK {
			t.Fatalf("push %s: %d %s", code, resp.StatusCode, body)
		}
		day24 = append(day24, r)
		// Another day's report must not leak into the summary.
		if resp, body := b.Push(o, variedReport(code, "2026-11-23", 5)); resp.StatusCode != http.StatusOK {
			t.Fatalf("push %s: %d %s", code, resp.StatusCode, body)
		}
	}
	b.EnrollOutlet("SY004") // enrolled, silent
	sum, err := b.Svc.Summary(context.Background(), day)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := asJSON(t, sum.Total), asJSON(t, sumReports(day24)); got != want {
		t.Fatalf("total\n got  %s\n want %s", got, want)
	}
	if sum.Reports != 3 || len(sum.Outlets) != 3 || asJSON(t, sum.Missing) != `["SY004"]` {
		t.Fatalf("reports %d, outlets %d, missing %v", sum.Reports, len(sum.Outlets), sum.Missing)
	}
	for i, o := range sum.Outlets {
		if got, want := asJSON(t, o.Figures), asJSON(t, sumReports(day24[i:i+1])); got != want {
			t.Fatalf("outlet %s\n got  %s\n want %s", o.Outlet, got, want)
		}
	}
	empty, err := b.Svc.Summary(context.Background(), "2026-11-01")
	if err != nil || empty.Reports != 0 || len(empty.Missing) != 4 || empty.Total.Amenities == nil {
		t.Fatalf("empty day: %v %+v", err, empty)
	}
	if _, err := b.Svc.Summary(context.Background(), "2026-13-01"); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("bad day: %v", err)
	}
}

// TestSumsAcrossDaysArePlainSQL checks the schema's promise: per-amenity,
// per-category and per-channel sums over outlets and days are one query.
func TestSumsAcrossDaysArePlainSQL(t *testing.T) {
	apptest.ForEachBranchBackend(t, testSumsAcrossDaysArePlainSQL)
}

func testSumsAcrossDaysArePlainSQL(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	var all []models.Report
	for _, code := range []string{"SY001", "SY002", "SY003"} {
		o := b.EnrollOutlet(code)
		for n, day := range []string{"2026-11-22", "2026-11-23", "2026-11-24"} {
			r := variedReport(code, day, n+1)
			if resp, body := b.Push(o, r); resp.StatusCode != http.StatusOK {
				t.Fatalf("push: %d %s", resp.StatusCode, body)
			}
			all = append(all, r)
		}
	}
	want := sumReports(all)
	q := b.Svc.DB().Read
	var amen []models.AmenityCount
	if err := q.Raw(`SELECT amenity AS code, SUM(checkins) AS check_ins, SUM(visitors) AS visitors
		FROM report_amenities WHERE day BETWEEN ? AND ? GROUP BY amenity ORDER BY amenity`,
		"2026-11-01", "2026-11-30").Scan(&amen).Error; err != nil {
		t.Fatal(err)
	}
	var cats []models.CategoryCount
	if err := q.Raw(`SELECT category AS code, SUM(checkins) AS check_ins FROM report_categories
		GROUP BY category ORDER BY category`).Scan(&cats).Error; err != nil {
		t.Fatal(err)
	}
	var ch models.ChannelCounts
	if err := q.Raw(`SELECT SUM(live) AS live, SUM(poster) AS poster, SUM(assisted) AS assisted
		FROM reports WHERE day >= ?`, "2026-11-01").Scan(&ch).Error; err != nil {
		t.Fatal(err)
	}
	if asJSON(t, amen) != asJSON(t, want.Amenities) || asJSON(t, cats) != asJSON(t, want.Categories) || ch != want.Channels {
		t.Fatalf("SQL sums %v %v %v, want %v %v %v", amen, cats, ch, want.Amenities, want.Categories, want.Channels)
	}
}

func TestEnrollmentCodes(t *testing.T) { apptest.ForEachBranchBackend(t, testEnrollmentCodes) }

func testEnrollmentCodes(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	ctx := context.Background()
	ec, err := b.Svc.AddOutlet(ctx, "SY001", "营业部", "张湾", 0)
	if err != nil {
		t.Fatal(err)
	}
	raw := strings.ReplaceAll(ec.Code, "-", "")
	if len(raw) < 26 || !ec.ExpiresAt.Equal(b.Clock.Now().Add(24*time.Hour)) {
		t.Fatalf("code %q (want >= 128 bits) expiring %s", ec.Code, ec.ExpiresAt)
	}
	if state := b.ReportState(); strings.Contains(state, raw) || strings.Contains(state, ec.Code) {
		t.Fatal("the enrollment code is stored in clear")
	}
	if _, err := b.Svc.AddOutlet(ctx, "SY001", "again", "", 0); models.ErrorCode(err) != models.ECONFLICT {
		t.Fatalf("second add: %v", err)
	}
	for _, bad := range []struct{ code, name string }{{"SY 1", "x"}, {"", "x"}, {"SY002", ""}, {"SY002", strings.Repeat("长", 61)}} {
		if _, err := b.Svc.AddOutlet(ctx, bad.code, bad.name, "", 0); models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("add %q %q: %v", bad.code, bad.name, err)
		}
	}
	if _, err := b.Svc.AddOutlet(ctx, "SY002", "x", "", time.Second); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("ttl 1s: %v", err)
	}
	if err := b.Svc.RevokeOutlet(ctx, "NOPE"); models.ErrorCode(err) != models.ENOTFOUND {
		t.Fatalf("revoke unknown: %v", err)
	}
	if err := b.Svc.RevokeOutlet(ctx, "SY001"); err != nil {
		t.Fatal(err)
	}
	if err := b.Svc.RevokeOutlet(ctx, "SY001"); err != nil {
		t.Fatalf("revoke twice: %v", err)
	}
	if _, err := b.Svc.NewEnrollmentCode(ctx, "SY001", 0); models.ErrorCode(err) != models.EREVOKED {
		t.Fatalf("new code for a revoked outlet: %v", err)
	}
}
