package branch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// randomReport is a consistent report whose figures, amenities, feedback
// and activities vary with rnd.
func randomReport(rnd *rand.Rand, code, day string, revision int) models.Report {
	n := 1 + rnd.IntN(5)
	r := apptest.SampleReport(code, day, revision, n)
	if rnd.IntN(2) == 0 {
		r.Amenities = append(r.Amenities, models.AmenityCount{Code: "wifi", CheckIns: n, Visitors: 1})
	}
	r.Feedback.Open = rnd.IntN(4)
	r.Activities = r.Activities[:rnd.IntN(2)]
	return r
}

// TestRollupsStayExact pushes random revisions across month ends, then
// checks that the month rollups are exactly the daily rows summed, and
// that period figures read through them equal plain sums of the reports.
func TestRollupsStayExact(t *testing.T) { apptest.ForEachBranchBackend(t, testRollupsStayExact) }

func testRollupsStayExact(t *testing.T, cfg config.Branch) {
	clock := apptest.NewClock(time.Date(2026, 12, 10, 10, 0, 0, 0, apptest.Shanghai))
	b := apptest.NewBranchAt(t, cfg, clock)
	outlets := []apptest.TestOutlet{b.EnrollOutlet("SY001"), b.EnrollOutlet("SY002"), b.EnrollOutlet("SY003")}
	rnd := rand.New(rand.NewPCG(5, 7))
	revision := map[string]int{}
	for i := 0; i < 80; i++ {
		o := outlets[rnd.IntN(len(outlets))]
		day := models.AddDays("2026-10-25", rnd.IntN(45))
		revision[o.Code+day]++
		if resp, body := b.Push(o, randomReport(rnd, o.Code, day, revision[o.Code+day])); resp.StatusCode != http.StatusOK {
			t.Fatalf("push: %d %s", resp.StatusCode, body)
		}
	}
	checkRollups(t, b)
	for i := 0; i < 30; i++ {
		from := models.AddDays("2026-10-20", rnd.IntN(50))
		to := models.AddDays(from, rnd.IntN(40))
		checkPeriod(t, b, from, to)
	}
	checkPeriod(t, b, "2026-11-01", "2026-11-30")
}

// checkRollups compares every rollup table with its daily rows summed.
func checkRollups(t *testing.T, b *apptest.Branch) {
	t.Helper()
	for _, pair := range [][2]string{
		{`SELECT month, outlet, days, checkins, visitors, live, poster, assisted, feedback_received, feedback_resolved,
			activities, activity_participants, last_day, last_feedback_open FROM month_outlets ORDER BY 1, 2`,
			`SELECT m.*, r.feedback_open FROM (SELECT substr(day, 1, 7) AS month, outlet, COUNT(*) AS days, SUM(checkins) AS c,
			SUM(visitors) AS v, SUM(live) AS l, SUM(poster) AS p, SUM(assisted) AS a, SUM(feedback_received) AS fr,
			SUM(feedback_resolved) AS fs, SUM(activities) AS ac, SUM(activity_participants) AS ap, MAX(day) AS last_day
			FROM reports GROUP BY 1, 2) m JOIN reports r ON r.outlet = m.outlet AND r.day = m.last_day ORDER BY 1, 2`},
		{`SELECT day, reports, checkins, visitors FROM day_totals ORDER BY 1`,
			`SELECT day, COUNT(*), SUM(checkins), SUM(visitors) FROM reports GROUP BY 1 ORDER BY 1`},
		{`SELECT day, amenity, checkins, visitors FROM day_amenities WHERE checkins <> 0 OR visitors <> 0 ORDER BY 1, 2`,
			`SELECT day, amenity, SUM(checkins), SUM(visitors) FROM report_amenities GROUP BY 1, 2
			HAVING SUM(checkins) <> 0 OR SUM(visitors) <> 0 ORDER BY 1, 2`},
		{`SELECT day, category, checkins FROM day_categories WHERE checkins <> 0 ORDER BY 1, 2`,
			`SELECT day, category, SUM(checkins) FROM report_categories GROUP BY 1, 2 HAVING SUM(checkins) <> 0 ORDER BY 1, 2`},
		{`SELECT outlet, day, COUNT(*), SUM(participants) FROM report_activities GROUP BY 1, 2 ORDER BY 1, 2`,
			`SELECT outlet, day, activities, activity_participants FROM reports WHERE activities > 0 ORDER BY 1, 2`},
	} {
		if got, want := dump(t, b, pair[0]), dump(t, b, pair[1]); got != want {
			t.Fatalf("rollup differs from the daily rows:\n%s\ngot:\n%s\nwant:\n%s", pair[0], got, want)
		}
	}
}

func dump(t *testing.T, b *apptest.Branch, q string) string {
	t.Helper()
	rows, err := b.Svc.DB().Read.Raw(q).Rows()
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	out := ""
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			out += fmt.Sprint(v) + " "
		}
		out += "\n"
	}
	return out
}

// checkPeriod compares the figures of from..to read through the rollups
// (a comparison of the group of every outlet) with plain sums.
func checkPeriod(t *testing.T, b *apptest.Branch, from, to string) {
	t.Helper()
	p, err := branch.RangePeriod(from, to)
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := b.Svc.Compare(context.Background(), p, nil, []string{"test"})
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Days, Checkins, Visitors, Assisted, FeedbackReceived, Participants int
	}
	b.Svc.DB().Read.Raw(`SELECT COUNT(*) AS days, COALESCE(SUM(checkins), 0) AS checkins, COALESCE(SUM(visitors), 0) AS visitors,
		COALESCE(SUM(assisted), 0) AS assisted, COALESCE(SUM(feedback_received), 0) AS feedback_received,
		COALESCE(SUM(activity_participants), 0) AS participants FROM reports WHERE day >= ? AND day <= ?`, from, to).Scan(&want)
	var open int
	b.Svc.DB().Read.Raw(`SELECT COALESCE(SUM(r.feedback_open), 0) FROM reports r WHERE r.day = (SELECT MAX(day) FROM reports
		WHERE outlet = r.outlet AND day >= ? AND day <= ?)`, from, to).Scan(&open)
	got := cmp.Columns[0].Totals
	if got.Days != want.Days || got.CheckIns != want.Checkins || got.VisitorDays != want.Visitors ||
		got.Channels.Assisted != want.Assisted || got.Feedback.Received != want.FeedbackReceived ||
		got.Participants != want.Participants || got.Feedback.Open != open {
		t.Fatalf("%s..%s: rollups give %+v, the reports %+v (open %d)", from, to, got, want, open)
	}
}

// TestRollupsStayExactUnderConcurrentPushes pushes random revisions of a
// few outlets and days from many goroutines at once, so that the writer
// stores them in batches mixing new days, replaced days, stale, duplicate
// and conflicting revisions of the same months. Every push must be
// answered and leave one receipt, and the rollups must equal the daily
// rows summed.
func TestRollupsStayExactUnderConcurrentPushes(t *testing.T) {
	apptest.ForEachBranchBackend(t, testRollupsStayExactUnderConcurrentPushes)
}

func testRollupsStayExactUnderConcurrentPushes(t *testing.T, cfg config.Branch) {
	clock := apptest.NewClock(time.Date(2026, 12, 10, 10, 0, 0, 0, apptest.Shanghai))
	b := apptest.NewBranchAt(t, cfg, clock)
	outlets := b.EnrollMany("SY001", "SY002", "SY003", "SY004")
	const workers, each = 16, 15
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	var failed []error // reported by the test's goroutine below
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(w), 11))
			for i := 0; i < each; i++ {
				o := outlets[rnd.IntN(len(outlets))]
				day := models.AddDays("2026-10-28", rnd.IntN(10))
				body, err := json.Marshal(randomReport(rnd, o.Code, day, 1+rnd.IntN(3)))
				var resp *http.Response
				if err == nil {
					resp, _, err = b.Send(o.SignedPush(body, clock.Now()))
				}
				mu.Lock()
				if err != nil {
					failed = append(failed, err)
				} else {
					statuses[resp.StatusCode]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(failed) > 0 {
		t.Fatalf("%d pushes failed: %v", len(failed), failed[0])
	}
	if statuses[http.StatusOK]+statuses[http.StatusConflict] != workers*each {
		t.Fatalf("answers by status %v: want only 200 and 409", statuses)
	}
	if n := len(b.Receipts()); n != workers*each {
		t.Fatalf("%d receipts for %d pushes", n, workers*each)
	}
	checkRollups(t, b)
	var stale int64
	if err := b.Svc.DB().Read.Raw(`SELECT COUNT(*) FROM month_outlets m WHERE last_received_at <> (SELECT MAX(received_at)
		FROM reports r WHERE r.outlet = m.outlet AND substr(r.day, 1, 7) = m.month)`).Scan(&stale).Error; err != nil {
		t.Fatal(err)
	}
	if stale != 0 {
		t.Fatalf("%d month rows with a last_received_at that is not their reports' newest", stale)
	}
}
