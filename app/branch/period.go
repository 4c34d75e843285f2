package branch

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"harbor/models"
)

// Period is a range of local days, both ends included: a month (按月通报),
// a quarter (按季考核) or any range.
type Period struct {
	Kind  string `json:"kind"`  // month, quarter or range
	Label string `json:"label"` // 2026-11, 2026Q4, or 2026-11-01..2026-11-30
	From  string `json:"from"`
	To    string `json:"to"`
}

// Period kinds.
const (
	KindMonth   = "month"
	KindQuarter = "quarter"
	KindRange   = "range"
)

// MaxRangeDays bounds a free range of days.
const MaxRangeDays = 366

var (
	monthPattern   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	quarterPattern = regexp.MustCompile(`^(\d{4})-?[Qq]([1-4])$`)
)

// MonthPeriod is the month written YYYY-MM.
func MonthPeriod(month string) (Period, error) {
	m := monthPattern.FindStringSubmatch(month)
	if m == nil || m[2] < "01" || m[2] > "12" {
		return Period{}, models.Errorf(models.EINVALID, "月份 %q 应形如 2026-11 / month %q: want YYYY-MM, e.g. 2026-11", truncate(month, 20), truncate(month, 20))
	}
	from, to := monthBounds(month)
	return Period{Kind: KindMonth, Label: month, From: from, To: to}, nil
}

// QuarterPeriod is the quarter written YYYYQn (2026Q4; 2026-Q4 also works).
func QuarterPeriod(quarter string) (Period, error) {
	m := quarterPattern.FindStringSubmatch(quarter)
	if m == nil {
		return Period{}, models.Errorf(models.EINVALID, "季度 %q 应形如 2026Q4 / quarter %q: want YYYYQn, e.g. 2026Q4", truncate(quarter, 20), truncate(quarter, 20))
	}
	q, _ := strconv.Atoi(m[2])
	first := fmt.Sprintf("%s-%02d", m[1], 3*q-2)
	last := fmt.Sprintf("%s-%02d", m[1], 3*q)
	from, _ := monthBounds(first)
	_, to := monthBounds(last)
	return Period{Kind: KindQuarter, Label: m[1] + "Q" + m[2], From: from, To: to}, nil
}

// RangePeriod is the days from..to, at most MaxRangeDays of them.
func RangePeriod(from, to string) (Period, error) {
	if _, err := models.ParseDay(from); err != nil {
		return Period{}, err
	}
	if _, err := models.ParseDay(to); err != nil {
		return Period{}, err
	}
	if from > to {
		return Period{}, models.Errorf(models.EINVALID, "开始日期晚于结束日期 / the range starts (%s) after it ends (%s)", from, to)
	}
	if n := daysBetween(from, to) + 1; n > MaxRangeDays {
		return Period{}, models.Errorf(models.EINVALID, "最多 %d 天 / at most %d days at a time, not %d", MaxRangeDays, MaxRangeDays, n)
	}
	return Period{Kind: KindRange, Label: from + ".." + to, From: from, To: to}, nil
}

// Days is the number of calendar days in the period.
func (p Period) Days() int { return daysBetween(p.From, p.To) + 1 }

// monthBounds returns the first and last day of a YYYY-MM month.
func monthBounds(month string) (from, to string) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		return month + "-01", month + "-31"
	}
	return t.Format(models.DayLayout), t.AddDate(0, 1, -1).Format(models.DayLayout)
}

// daysBetween is b minus a, in days.
func daysBetween(a, b string) int {
	ta, _ := time.Parse(models.DayLayout, a)
	tb, _ := time.Parse(models.DayLayout, b)
	return int(tb.Sub(ta).Hours() / 24)
}

func minDay(a, b string) string { return min(a, b) }
func maxDay(a, b string) string { return max(a, b) }

// term is one part of a period's sum: a whole month read from the month
// rollups, or a run of days read from the daily rows, added or (sign -1)
// taken away.
type term struct {
	sign     int
	month    string // a whole month, when set
	from, to string // else these days
}

// plan splits the days from..to into terms that read few rows: whole
// months from the rollups; a part of a month either day by day or, when
// that is fewer days, as the month minus the days outside the part. last
// is the latest day any report can be for, so the days after it cost
// nothing.
func plan(from, to, last string) []term {
	var out []term
	for m := from[:7]; m <= to[:7]; m = nextMonth(m) {
		mFrom, mTo := monthBounds(m)
		a, b := maxDay(from, mFrom), minDay(to, mTo)
		end := minDay(mTo, last) // the month's last day that may hold data
		if b > end {
			b = end
		}
		if a > b {
			continue
		}
		if a == mFrom && b == end {
			out = append(out, term{sign: 1, month: m})
			continue
		}
		inside := daysBetween(a, b) + 1
		outside := daysBetween(mFrom, end) + 1 - inside
		if outside >= inside {
			out = append(out, term{sign: 1, from: a, to: b})
			continue
		}
		out = append(out, term{sign: 1, month: m})
		if a > mFrom {
			out = append(out, term{sign: -1, from: mFrom, to: models.AddDays(a, -1)})
		}
		if b < end {
			out = append(out, term{sign: -1, from: models.AddDays(b, 1), to: end})
		}
	}
	return out
}

// nextMonth returns the month after a YYYY-MM month.
func nextMonth(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return "9999-12"
	}
	return t.AddDate(0, 1, 0).Format("2006-01")
}

// addDays is models.AddDays, short.
func addDays(day string, n int) string { return models.AddDays(day, n) }
