package branch

import (
	"database/sql"
	"time"

	"gorm.io/gorm"

	"harbor/app/branch/scoring"
	"harbor/models"
)

// outletFigures counts what a scheme scores for each outlet of a that owed
// reports in the period (the others are not scored): the assessment's sums
// and flags, and from the period's daily reports the days reported on
// time, the opening hours and check-ins of the days whose coverage is
// known, and feedback resolved within feedbackDays (exactly where the
// reports say the ages of their resolutions, see scoring.JudgeFeedback).
func (s *Service) outletFigures(tx *gorm.DB, a *Assessment, feedbackDays int) (map[string]scoring.Figures, error) {
	out := map[string]scoring.Figures{}
	for _, o := range a.Outlets {
		if o.DaysDue > 0 {
			out[o.Code] = scoring.Figures{CheckIns: int64(o.CheckIns), VisitorDays: int64(o.VisitorDays),
				DaysDue: int64(o.DaysDue), DaysReported: int64(o.Days), Activities: int64(o.Activities),
				Participants: int64(o.Participants), Flags: int64(len(o.Flags))}
		}
	}
	deadlines := map[string]int64{}
	feedback := map[string][]scoring.FeedbackDay{}
	err := eachRow(tx, func(rs *sql.Rows) error {
		var outlet, day string
		var checkIns, first int64
		var up, open sql.NullInt64
		var fb scoring.FeedbackDay
		if err := rs.Scan(&outlet, &day, &checkIns, &up, &open, &fb.Received, &fb.Resolved, &fb.Open, &first); err != nil {
			return err
		}
		f, scored := out[outlet]
		if !scored {
			return nil
		}
		if open.Valid {
			f.HoursCheckIns += checkIns
			f.OpenMinutes += open.Int64
			f.UpMinutes += up.Int64
		}
		deadline, ok := deadlines[day]
		if !ok {
			deadline = s.onTimeDeadline(day)
			deadlines[day] = deadline
		}
		if first < deadline {
			f.DaysOnTime++
		}
		out[outlet] = f
		fb.Day = day
		feedback[outlet] = append(feedback[outlet], fb)
		return nil
	}, `SELECT outlet, day, checkins, up_minutes, open_minutes, feedback_received, feedback_resolved, feedback_open,
		COALESCE(first_received_at, received_at) FROM reports WHERE day >= ? AND day <= ? ORDER BY outlet, day`,
		a.Period.From, a.Through)
	if err != nil {
		return out, err
	}
	if err := addFeedbackAges(tx, feedback, a.Period.From, a.Through); err != nil {
		return out, err
	}
	for code, days := range feedback {
		f := out[code]
		f.FeedbackDue, f.FeedbackOnTime, f.FeedbackRule = scoring.JudgeFeedback(days, feedbackDays, a.Period.From, a.Through)
		out[code] = f
	}
	return out, nil
}

// addFeedbackAges gives each reported day of feedback (by outlet, days in
// order) the ages of its resolutions, where its report said them.
func addFeedbackAges(tx *gorm.DB, feedback map[string][]scoring.FeedbackDay, from, through string) error {
	at := map[string]int{} // position of "OUTLET DAY" in feedback[outlet]
	for code, days := range feedback {
		for i, d := range days {
			at[code+" "+d.Day] = i
		}
	}
	return eachRow(tx, func(rs *sql.Rows) error {
		var outlet, day string
		var age scoring.FeedbackAge
		if err := rs.Scan(&outlet, &day, &age.Days, &age.Count); err != nil {
			return err
		}
		if i, ok := at[outlet+" "+day]; ok {
			d := &feedback[outlet][i]
			d.Ages = append(d.Ages, age)
		}
		return nil
	}, `SELECT outlet, day, days, count FROM report_feedback_ages WHERE day >= ? AND day <= ? ORDER BY outlet, day, days`,
		from, through)
}

// onTimeDeadline is when a day's report is late: the end of the next day
// in the branch's time zone (unix milliseconds).
func (s *Service) onTimeDeadline(day string) int64 {
	t, err := time.ParseInLocation(models.DayLayout, addDays(day, 2), s.loc)
	if err != nil {
		return 0
	}
	return millis(t)
}
