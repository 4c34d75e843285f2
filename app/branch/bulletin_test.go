package branch

import (
	"fmt"
	"slices"
	"testing"

	"harbor/app/branch/scoring"
)

// TestBestAndWeakest: the best three and the weakest three, with whoever
// ties with them, never the same outlet twice.
func TestBestAndWeakest(t *testing.T) {
	for _, c := range []struct {
		scores        []scoring.Centi
		best, weakest string
	}{
		{[]scoring.Centi{90, 80, 80, 70, 60, 50, 50}, "[A B C]", "[G F E]"},
		{[]scoring.Centi{90, 80, 70, 60, 50, 50, 40, 30}, "[A B C]", "[H G F E]"}, // E ties with F
		{[]scoring.Centi{90, 80, 70, 60, 50}, "[A B C]", "[E D]"},
		{[]scoring.Centi{10, 10, 10, 10}, "[A B C D]", "[]"},
		{nil, "[]", "[]"},
	} {
		var b Bulletin
		for i, s := range c.scores {
			b.Outlets = append(b.Outlets, BulletinRow{OutletRef: OutletRef{Code: string(rune('A' + i))}, Score: s})
		}
		b.rank()
		if got := fmt.Sprint(b.Best) + fmt.Sprint(b.Weakest); got != c.best+c.weakest {
			t.Errorf("%v: best and weakest %s, want %s%s", c.scores, got, c.best, c.weakest)
		}
	}
}

func TestComparedPeriodsAndNames(t *testing.T) {
	for _, c := range []struct{ label, prev, yearAgo, zh, en string }{
		{"2026-01", "2025-12", "2025-01", "2026年1月", "January 2026"},
		{"2026-11", "2026-10", "2025-11", "2026年11月", "November 2026"},
		{"2026Q1", "2025Q4", "2025Q1", "2026年第一季度", "2026 Q1"},
		{"2026Q4", "2026Q3", "2025Q4", "2026年第四季度", "2026 Q4"},
	} {
		p, err := MonthPeriod(c.label)
		if len(c.label) == 6 {
			p, err = QuarterPeriod(c.label)
		}
		if err != nil {
			t.Fatal(err)
		}
		prev, yearAgo := comparedPeriods(p)
		if prev.Label != c.prev || yearAgo.Label != c.yearAgo || p.NameZH() != c.zh || p.NameEN() != c.en {
			t.Errorf("%s: %s %s %s %s", c.label, prev.Label, yearAgo.Label, p.NameZH(), p.NameEN())
		}
	}
}

func TestChangeInWords(t *testing.T) {
	for _, c := range []struct {
		cur, before int
		zh          string
	}{{1052, 1000, "增长 5.2%"}, {949, 1000, "下降 5.1%"}, {1000, 1000, "持平"}, {10004, 10000, "持平"}, {5, 0, "（上期为 0）"}, {1, 3, "下降 66.7%"}} {
		if zh, _ := change(c.cur, c.before); zh != c.zh {
			t.Errorf("%d against %d: %q, want %q", c.cur, c.before, zh, c.zh)
		}
	}
	if !slices.Equal([]string{thousands(1234567), thousands(12)}, []string{"1,234,567", "12"}) {
		t.Error("thousands")
	}
}
