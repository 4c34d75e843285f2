package branch

import (
	"math/rand/v2"
	"testing"

	"harbor/models"
)

// TestPlanCountsEveryDayOnce: whatever the range, the terms of a plan add
// every day of from..min(to, last) exactly once and no other day.
func TestPlanCountsEveryDayOnce(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	start := "2025-12-20"
	for i := 0; i < 2000; i++ {
		from := models.AddDays(start, rnd.IntN(120))
		to := models.AddDays(from, rnd.IntN(100))
		last := models.AddDays(start, rnd.IntN(150))
		count := map[string]int{}
		for _, term := range plan(from, to, last) {
			a, b := term.from, term.to
			if term.month != "" {
				a, b = monthBounds(term.month)
			}
			for d := a; d <= b; d = models.AddDays(d, 1) {
				count[d] += term.sign
			}
		}
		for d := models.AddDays(start, -40); d <= models.AddDays(start, 300); d = models.AddDays(d, 1) {
			want := 0
			if d >= from && d <= to && d <= last {
				want = 1
			}
			// Days after last hold no data: counting them is harmless.
			if d > last && count[d] != 0 && count[d] != 1 {
				t.Fatalf("%s..%s last %s: day %s counted %d times", from, to, last, d, count[d])
			}
			if d <= last && count[d] != want {
				t.Fatalf("%s..%s last %s: day %s counted %d times, want %d: %+v", from, to, last, d, count[d], want, plan(from, to, last))
			}
		}
	}
}

// TestPlanReadsFewDays: a month to date close to its end reads the month's
// rollup minus the few days after, not every day.
func TestPlanReadsFewDays(t *testing.T) {
	got := plan("2026-11-01", "2026-11-24", "2026-11-26")
	want := []term{{sign: 1, month: "2026-11"}, {sign: -1, from: "2026-11-25", to: "2026-11-26"}}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("plan: %+v, want %+v", got, want)
	}
	if got := plan("2026-10-01", "2026-12-31", "2027-01-02"); len(got) != 3 || got[2].month != "2026-12" {
		t.Fatalf("a quarter is three whole months: %+v", got)
	}
}

func TestPeriods(t *testing.T) {
	for in, want := range map[string]Period{
		"2026Q4":  {KindQuarter, "2026Q4", "2026-10-01", "2026-12-31"},
		"2026-q1": {KindQuarter, "2026Q1", "2026-01-01", "2026-03-31"},
	} {
		if got, err := QuarterPeriod(in); err != nil || got != want {
			t.Errorf("QuarterPeriod(%q) = %+v, %v", in, got, err)
		}
	}
	if p, err := MonthPeriod("2028-02"); err != nil || p.To != "2028-02-29" || p.Days() != 29 {
		t.Errorf("February 2028: %+v %v", p, err)
	}
	for _, bad := range []string{"2026-13", "2026-1", "26-11", "2026Q5", ""} {
		if _, err := MonthPeriod(bad); err == nil {
			if _, err := QuarterPeriod(bad); err == nil {
				t.Errorf("%q accepted", bad)
			}
		}
	}
	if _, err := RangePeriod("2026-11-02", "2026-11-01"); err == nil {
		t.Error("a backwards range was accepted")
	}
	if _, err := RangePeriod("2025-01-01", "2026-11-01"); err == nil {
		t.Error("a range over 366 days was accepted")
	}
}
