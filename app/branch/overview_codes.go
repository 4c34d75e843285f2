package branch

import (
	"gorm.io/gorm"
)

// overviewCodes fills the per-amenity and per-category figures of the day
// and of the month to date, summed over every outlet.
func (s *Service) overviewCodes(tx *gorm.DB, ov *Overview) error {
	for _, kind := range []string{"amenities", "categories"} {
		day, err := codeSums(tx, kind, ov.Day, ov.Day)
		if err != nil {
			return err
		}
		month, err := codeSums(tx, kind, ov.MonthToDate.From, ov.Day)
		if err != nil {
			return err
		}
		rows := mergeCodes(day, month)
		if kind == "amenities" {
			ov.Amenities = rows
		} else {
			ov.Categories = rows
		}
	}
	return nil
}

// mergeCodes lines up a day's and a month's code totals, in the month's
// order (most used first).
func mergeCodes(day, month []CodeTotal) []OverviewCode {
	out := make([]OverviewCode, 0, len(month))
	index := map[string]int{}
	for _, m := range month {
		index[m.Code] = len(out)
		out = append(out, OverviewCode{Code: m.Code, MonthCheckIns: m.CheckIns, MonthVisitorDays: m.VisitorDays})
	}
	for _, d := range day {
		i, ok := index[d.Code]
		if !ok {
			i = len(out)
			out = append(out, OverviewCode{Code: d.Code})
		}
		out[i].DayCheckIns, out[i].DayVisitors = d.CheckIns, d.VisitorDays
	}
	return out
}

// overviewTrend fills the daily totals of the TrendDays days up to the
// day, zeros included.
func overviewTrend(tx *gorm.DB, ov *Overview) error {
	from := addDays(ov.Day, 1-TrendDays)
	points, err := dailyPoints(tx, from, ov.Day, "")
	ov.Trend = points
	return err
}

// dailyPoints sums each day of from..to over every outlet (the day
// rollups), or over one outlet when outlet is set; days without reports
// are zeros.
func dailyPoints(tx *gorm.DB, from, to, outlet string) ([]DayPoint, error) {
	var rows []DayPoint
	q := tx.Raw(`SELECT day, reports, checkins AS check_ins, visitors
		FROM day_totals WHERE day >= ? AND day <= ? AND reports > 0`, from, to)
	if outlet != "" {
		q = tx.Raw(`SELECT day, 1 AS reports, checkins AS check_ins, visitors
			FROM reports WHERE outlet = ? AND day >= ? AND day <= ?`, outlet, from, to)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	byDay := map[string]DayPoint{}
	for _, r := range rows {
		byDay[r.Day] = r
	}
	out := make([]DayPoint, 0, daysBetween(from, to)+1)
	for d := from; d <= to; d = addDays(d, 1) {
		p := byDay[d]
		p.Day = d
		out = append(out, p)
	}
	return out, nil
}
