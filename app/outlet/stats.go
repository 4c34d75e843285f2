package outlet

import (
	"context"
	"strconv"

	"gorm.io/gorm"

	"harbor/models"
)

// MaxStatsDays bounds one stats range.
const MaxStatsDays = 366

// DayFigures are one local day's figures.
type DayFigures struct {
	Day      string `json:"day"`
	CheckIns int    `json:"checkins"`
	// Visitors are unique visitors of that day. Visitor ids change every
	// day, so they never add up across days.
	Visitors int                  `json:"visitors"`
	Channels models.ChannelCounts `json:"channels"`
}

// RangeTotals add up what can be added across days: check-ins, channels,
// feedback and activities; never unique visitors.
type RangeTotals struct {
	CheckIns     int                   `json:"checkins"`
	Channels     models.ChannelCounts  `json:"channels"`
	Feedback     models.FeedbackCounts `json:"feedback"` // open: at the end of the range
	Activities   int                   `json:"activities"`
	Participants int                   `json:"participants"`
}

// RangeCount is one amenity's or category's check-ins over a range.
type RangeCount struct {
	Code     string `json:"code"`
	CheckIns int    `json:"checkins"`
}

// RangeStats are the figures of local days From..To (inclusive) as the
// History page, the exports and GET /api/v1/stats give them.
type RangeStats struct {
	Outlet     string       `json:"outlet"`
	Name       string       `json:"name"`
	TimeZone   string       `json:"timezone"`
	From       string       `json:"from"`
	To         string       `json:"to"`
	Days       []DayFigures `json:"days"` // every day of the range, zeros included
	Totals     RangeTotals  `json:"totals"`
	Amenities  []RangeCount `json:"amenities"`  // most used first
	Categories []RangeCount `json:"categories"` // most common first
	Hours      [24]int      `json:"hours"`
}

// Stats computes the figures of days from..to.
func (s *Service) Stats(ctx context.Context, from, to string) (RangeStats, error) {
	if err := checkRange(from, to); err != nil {
		return RangeStats{}, err
	}
	p := s.Profile()
	st := RangeStats{Outlet: p.Code, Name: p.Name, TimeZone: s.cfg.TimeZone, From: from, To: to,
		Amenities: []RangeCount{}, Categories: []RangeCount{}}
	q := s.db.Read.WithContext(ctx)
	for _, step := range []func(*gorm.DB, *RangeStats) error{rangeDays, rangeCounts, rangeHours, rangeStaffFigures} {
		if err := step(q, &st); err != nil {
			return RangeStats{}, err
		}
	}
	return st, nil
}

func checkRange(from, to string) error {
	f, err := models.ParseDay(from)
	if err != nil {
		return err
	}
	t, err := models.ParseDay(to)
	if err != nil {
		return err
	}
	if t.Before(f) {
		return models.Errorf(models.EINVALID, "结束日期早于开始日期 / the range ends before it starts")
	}
	if t.Sub(f).Hours()/24 >= MaxStatsDays {
		return models.Errorf(models.EINVALID, "日期范围最多 %d 天 / at most %d days", MaxStatsDays, MaxStatsDays)
	}
	return nil
}

// rangeDays reads each day's totals and channels from day_counts (kept by
// the check-in writer), so a range with busy days costs a few rows per day.
func rangeDays(q *gorm.DB, st *RangeStats) error {
	var rows []struct {
		Day                    string
		CheckIns, Visitors     int
		Live, Poster, Assisted int
	}
	err := q.Raw(`SELECT day,
		SUM(CASE WHEN kind = 'total' THEN check_ins ELSE 0 END) AS check_ins,
		SUM(CASE WHEN kind = 'total' THEN visitors ELSE 0 END) AS visitors,
		SUM(CASE WHEN kind = 'channel' AND code = 'live' THEN check_ins ELSE 0 END) AS live,
		SUM(CASE WHEN kind = 'channel' AND code = 'poster' THEN check_ins ELSE 0 END) AS poster,
		SUM(CASE WHEN kind = 'channel' AND code = 'assisted' THEN check_ins ELSE 0 END) AS assisted
		FROM day_counts WHERE day BETWEEN ? AND ? AND kind IN ('total', 'channel')
		GROUP BY day ORDER BY day`, st.From, st.To).Scan(&rows).Error
	if err != nil {
		return err
	}
	byDay := map[string]DayFigures{}
	for _, r := range rows {
		byDay[r.Day] = DayFigures{Day: r.Day, CheckIns: r.CheckIns, Visitors: r.Visitors,
			Channels: models.ChannelCounts{Live: r.Live, Poster: r.Poster, Assisted: r.Assisted}}
	}
	for d := st.From; d <= st.To; d = models.AddDays(d, 1) {
		f, ok := byDay[d]
		if !ok {
			f = DayFigures{Day: d}
		}
		st.Days = append(st.Days, f)
		st.Totals.CheckIns += f.CheckIns
		st.Totals.Channels.Live += f.Channels.Live
		st.Totals.Channels.Poster += f.Channels.Poster
		st.Totals.Channels.Assisted += f.Channels.Assisted
	}
	return nil
}

func rangeCounts(q *gorm.DB, st *RangeStats) error {
	if err := q.Raw(`SELECT code, SUM(check_ins) AS check_ins FROM day_counts
		WHERE day BETWEEN ? AND ? AND kind = 'amenity' GROUP BY code ORDER BY check_ins DESC, code`,
		st.From, st.To).Scan(&st.Amenities).Error; err != nil {
		return err
	}
	return q.Raw(`SELECT CASE code WHEN '' THEN ? ELSE code END AS code, SUM(check_ins) AS check_ins
		FROM day_counts WHERE day BETWEEN ? AND ? AND kind = 'category' GROUP BY 1 ORDER BY check_ins DESC, code`,
		UnspecifiedCategory, st.From, st.To).Scan(&st.Categories).Error
}

func rangeHours(q *gorm.DB, st *RangeStats) error {
	var rows []struct {
		Code string
		N    int
	}
	if err := q.Raw(`SELECT code, SUM(check_ins) AS n FROM day_counts WHERE day BETWEEN ? AND ? AND kind = 'hour'
		GROUP BY code`, st.From, st.To).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		if h, err := strconv.Atoi(r.Code); err == nil && h >= 0 && h < 24 {
			st.Hours[h] = r.N
		}
	}
	return nil
}

func rangeStaffFigures(q *gorm.DB, st *RangeStats) error {
	t := &st.Totals
	if err := q.Raw(`SELECT
		COALESCE(SUM(day >= ?), 0) AS received,
		COALESCE(SUM(resolved_day BETWEEN ? AND ?), 0) AS resolved,
		COALESCE(SUM(resolved_day IS NULL OR resolved_day > ?), 0) AS open
		FROM feedback WHERE day <= ?`, st.From, st.From, st.To, st.To, st.To).Scan(&t.Feedback).Error; err != nil {
		return err
	}
	var a struct{ Activities, Participants int }
	err := q.Raw(`SELECT COUNT(*) AS activities, COALESCE(SUM(participants), 0) AS participants
		FROM activities WHERE day BETWEEN ? AND ?`, st.From, st.To).Scan(&a).Error
	t.Activities, t.Participants = a.Activities, a.Participants
	return err
}
