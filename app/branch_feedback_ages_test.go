package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/branch/scoring"
	"harbor/app/outlet"
	"harbor/config"
	"harbor/models"
)

// feedbackItem is one piece of feedback as the test records it: the local
// days it was received and resolved ("" while open).
type feedbackItem struct{ received, resolved string }

// TestFeedbackJudgedByAges: an outlet whose staff answer the newest
// feedback first sends the ages of each day's resolutions; the branch
// judges its November exactly, as the test does from the single items,
// and differently from first in, first out, which it still uses (and
// says so) for an outlet sending the same counts without ages.
func TestFeedbackJudgedByAges(t *testing.T) {
	apptest.ForEachBranchBackend(t, testFeedbackJudgedByAges)
}

func testFeedbackJudgedByAges(t *testing.T, cfg config.Branch) {
	ctx := context.Background()
	clock := apptest.NewClock(time.Date(2026, 10, 31, 20, 0, 0, 0, apptest.Shanghai))
	o := apptest.NewOutletAt(t, apptest.OutletConfig(t), clock)
	b := apptest.NewBranchAt(t, cfg, clock)
	exact, fifo := b.EnrollOutlet("SY001"), b.EnrollOutlet("SY002")

	var items []feedbackItem // by feedback id - 1
	at := func(day string, hour int) time.Time {
		d, _ := time.ParseInLocation(models.DayLayout, day, apptest.Shanghai)
		return d.Add(time.Duration(hour) * time.Hour)
	}
	var reports []models.Report
	for day := "2026-11-01"; day <= "2026-11-30"; day = models.AddDays(day, 1) {
		n := int(day[9]-'0')%3 + 1 // 1-3 pieces of feedback a day
		clock.Set(at(day, 10))
		for range n {
			if _, err := o.Svc.SubmitFeedback(ctx, outlet.FeedbackInput{Rating: 3, Text: "热水不够热"}); err != nil {
				t.Fatal(err)
			}
			items = append(items, feedbackItem{received: day})
		}
		// Staff answer the newest first: one a day, none on Sundays, six
		// on Mondays; the oldest wait.
		answer := 1
		switch at(day, 0).Weekday() {
		case time.Sunday:
			answer = 0
		case time.Monday:
			answer = 6
		}
		clock.Set(at(day, 16))
		open, err := o.Svc.FeedbackList(ctx, true, answer)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range open[:min(answer, len(open))] {
			if err := o.Svc.ResolveFeedback(ctx, f.ID, "王经理", "已处理"); err != nil {
				t.Fatal(err)
			}
			items[f.ID-1].resolved = day
		}
		clock.Set(at(models.AddDays(day, 1), 0).Add(30 * time.Minute))
		r, err := o.Svc.BuildReport(ctx, day)
		if err != nil {
			t.Fatal(err)
		}
		if want := agesOf(items, day); !slices.Equal(r.Feedback.ResolvedAfter, want) {
			t.Fatalf("%s: resolved_after %v, want %v", day, r.Feedback.ResolvedAfter, want)
		}
		r.Outlet, r.Revision, r.GeneratedAt = exact.Code, 1, clock.Now().Format(time.RFC3339)
		b.MustPush(exact, r)
		old := r
		fb := *r.Feedback
		fb.ResolvedAfter = nil
		old.Outlet, old.Feedback = fifo.Code, &fb
		b.MustPush(fifo, old)
		reports = append(reports, old)
	}
	// Some days were answered out of order, or the test proves nothing.
	if got := agesOf(items, "2026-11-09"); len(got) < 2 {
		t.Fatalf("the 9th's ages %v: want resolutions of more than one age", got)
	}

	clock.Set(at("2026-12-02", 10))
	p, _ := branch.MonthPeriod("2026-11")
	bul, err := b.Svc.Bulletin(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	within := scoring.DefaultScheme().FeedbackDays
	wantExact := exactOracle(items, within, "2026-11-30")
	wantFIFO := fifoOracle(reports, within, "2026-11-30")
	if wantExact == wantFIFO {
		t.Fatalf("exact and first in, first out agree (%v): the test proves nothing", wantExact)
	}
	for _, c := range []struct {
		code, rule, note string
		want             [2]int64
	}{{"SY001", scoring.FeedbackExact, "exact: from the ages", wantExact}, {"SY002", scoring.FeedbackFIFO, "first in, first out", wantFIFO}} {
		row, ok := bul.Row(c.code)
		if !ok {
			t.Fatalf("%s not in the bulletin", c.code)
		}
		f := row.Figures
		if got := [2]int64{f.FeedbackDue, f.FeedbackOnTime}; got != c.want || f.FeedbackRule != c.rule {
			t.Errorf("%s: feedback due and in time %v by %q, want %v by %q", c.code, got, f.FeedbackRule, c.want, c.rule)
		}
		i := slices.IndexFunc(row.Result.Points, func(p scoring.Points) bool { return p.Measure == scoring.FeedbackInTime })
		if i < 0 || row.Result.Points[i].Rule != c.rule || !strings.Contains(branch.PointsNote(row.Result.Points[i]), c.note) {
			t.Errorf("%s: points %+v do not say the rule %s", c.code, row.Result.Points, c.rule)
		}
	}
	// The document says which outlets were judged first in, first out.
	page := viewerClientFor(t, b, "/console/bulletin?month=2026-11")
	if !strings.Contains(page, `id="bulletin-feedback-rule"`) ||
		!strings.Contains(page, "1 个网点按每条意见的实际处理天数计") ||
		!strings.Contains(page, "按先进先出推算（first in, first out）：SY002") {
		t.Errorf("the bulletin does not say how feedback was judged:\n%s", page[max(0, strings.Index(page, "考核方案")):])
	}
}

// viewerClientFor gets target as a logged-in viewer and returns the page.
func viewerClientFor(t *testing.T, b *apptest.Branch, target string) string {
	t.Helper()
	resp, body := viewerClient(t, b).Get(target)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %.300s", target, resp.StatusCode, body)
	}
	return body
}

// agesOf groups the items resolved on day by their age, in days.
func agesOf(items []feedbackItem, day string) []models.FeedbackAge {
	count := map[int]int{}
	for _, it := range items {
		if it.resolved == day {
			count[int(dayTime(day).Sub(dayTime(it.received)).Hours()/24)]++
		}
	}
	var out []models.FeedbackAge
	for d := range 31 {
		if count[d] > 0 {
			out = append(out, models.FeedbackAge{Days: d, Count: count[d]})
		}
	}
	return out
}

// exactOracle judges the single items: resolved within days of receipt is
// in time; still open after through, due once within days have passed.
func exactOracle(items []feedbackItem, within int, through string) (got [2]int64) {
	for _, it := range items {
		switch {
		case it.resolved != "":
			got[0]++
			if !dayTime(it.received).AddDate(0, 0, within).Before(dayTime(it.resolved)) {
				got[1]++
			}
		case !dayTime(it.received).AddDate(0, 0, within).After(dayTime(through)):
			got[0]++
		}
	}
	return got
}

// fifoOracle judges the daily counts first in, first out, as the bulletin
// oracle does (monthValues).
func fifoOracle(reports []models.Report, within int, through string) (got [2]int64) {
	var queue []string
	for _, r := range reports {
		for range r.Feedback.Received {
			queue = append(queue, r.Day)
		}
		for k := 0; k < r.Feedback.Resolved && len(queue) > 0; k++ {
			got[0]++
			if !dayTime(queue[0]).AddDate(0, 0, within).Before(dayTime(r.Day)) {
				got[1]++
			}
			queue = queue[1:]
		}
	}
	for _, d := range queue {
		if !dayTime(d).AddDate(0, 0, within).After(dayTime(through)) {
			got[0]++
		}
	}
	return got
}

// TestFeedbackAgesChecked: ages that do not fit the day's feedback are
// refused with a code and a message naming the problem, and store
// nothing; a newer revision replaces a day's ages.
func TestFeedbackAgesChecked(t *testing.T) {
	apptest.ForEachBranchBackend(t, func(t *testing.T, cfg config.Branch) {
		b := apptest.NewBranch(t, cfg)
		sy1 := b.EnrollOutlet("SY001")
		with := func(rev, resolved int, ages ...models.FeedbackAge) models.Report {
			r := apptest.SampleReport("SY001", "2026-11-24", rev, 1)
			r.Feedback = &models.FeedbackCounts{Received: 1, Resolved: resolved, Open: 3, ResolvedAfter: ages}
			return r
		}
		pushAnswer(t, b, sy1, with(1, 3, models.FeedbackAge{Days: 0, Count: 1}, models.FeedbackAge{Days: 4, Count: 2}), 200, "")
		state := b.ReportState()
		if !strings.Contains(state, "SY001 2026-11-24 4 2") {
			t.Fatalf("the ages are not stored:\n%s", state)
		}
		many := make([]models.FeedbackAge, models.MaxFeedbackAges+1)
		for i := range many {
			many[i] = models.FeedbackAge{Days: i, Count: 1}
		}
		for _, c := range []struct {
			name string
			r    models.Report
			msg  string
		}{
			{"short", with(2, 3, models.FeedbackAge{Days: 0, Count: 2}), "feedback.resolved_after adds up to 2 but feedback.resolved is 3"},
			{"over", with(2, 1, models.FeedbackAge{Days: 0, Count: 2}), "adds up to 2 but feedback.resolved is 1"},
			{"none", with(2, 1), "adds up to 0"}, // "resolved_after": [] below
			{"negative", with(2, 1, models.FeedbackAge{Days: -1, Count: 1}), "resolved_after[0].days = -1: want 0-3660"},
			{"huge", with(2, 1, models.FeedbackAge{Days: 3661, Count: 1}), "resolved_after[0].days = 3661: want 0-3660"},
			{"zero count", with(2, 1, models.FeedbackAge{Days: 1, Count: 1}, models.FeedbackAge{Days: 2, Count: 0}), "resolved_after[1].count = 0"},
			{"unsorted", with(2, 2, models.FeedbackAge{Days: 3, Count: 1}, models.FeedbackAge{Days: 1, Count: 1}), "want the ages sorted, each once"},
			{"duplicate", with(2, 2, models.FeedbackAge{Days: 1, Count: 1}, models.FeedbackAge{Days: 1, Count: 1}), "resolved_after[1].days = 1: want the ages sorted"},
			{"too many", with(2, len(many), many...), fmt.Sprintf("%d entries, at most %d", len(many), models.MaxFeedbackAges)},
		} {
			body, err := json.Marshal(c.r)
			if err != nil {
				t.Fatal(err)
			}
			if c.name == "none" {
				body = bytes.Replace(body, []byte(`"open":3`), []byte(`"open":3,"resolved_after":[]`), 1)
			}
			resp, text := b.Do(sy1.SignedPush(body, b.Clock.Now()))
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(text, `"code":"invalid"`) || !strings.Contains(text, c.msg) {
				t.Errorf("%s: %d %s; want 400 invalid %q", c.name, resp.StatusCode, text, c.msg)
			}
		}
		if b.ReportState() != state {
			t.Fatal("a refused report changed the branch's data")
		}
		// A newer revision replaces the ages; one without them drops them.
		pushAnswer(t, b, sy1, with(2, 2, models.FeedbackAge{Days: 1, Count: 2}), 200, "")
		state = b.ReportState()
		if !strings.Contains(state, "SY001 2026-11-24 1 2") || strings.Contains(state, "SY001 2026-11-24 4 2") {
			t.Fatalf("revision 2's ages did not replace revision 1's:\n%s", state)
		}
		pushAnswer(t, b, sy1, with(3, 2), 200, "")
		if state = b.ReportState(); strings.Contains(state, "SY001 2026-11-24 1 2") {
			t.Fatalf("revision 3 without ages kept revision 2's:\n%s", state)
		}
	})
}
