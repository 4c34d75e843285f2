package models

import "time"

// DayLayout is how a local day is written everywhere: 2026-11-25.
const DayLayout = "2006-01-02"

// LocalDay returns the day and hour of instant t in loc.
func LocalDay(t time.Time, loc *time.Location) (day string, hour int) {
	lt := t.In(loc)
	return lt.Format(DayLayout), lt.Hour()
}

// ParseDay checks that s is a real YYYY-MM-DD date and returns its midnight in UTC.
func ParseDay(s string) (time.Time, error) {
	t, err := time.Parse(DayLayout, s)
	if err != nil || t.Format(DayLayout) != s {
		return time.Time{}, Errorf(EINVALID, "日期 %q 应形如 2026-11-25 / day %q: want a date like 2026-11-25", s, s)
	}
	return t, nil
}

// AddDays returns day shifted by n days.
func AddDays(day string, n int) string {
	t, err := time.Parse(DayLayout, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(DayLayout)
}
