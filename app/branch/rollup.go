package branch

import (
	"gorm.io/gorm"
)

// Month rollups (migration 0003): month_outlets, month_amenities and
// month_categories hold each outlet's current reports of a month summed.
// They are recomputed from those reports, inside the transaction that
// stores a report, so they never drift from what the reports add up to.
// Months and quarters across every outlet read them instead of each day's
// rows: a month over 14,000 outlets is 14,000 rows, not 420,000.

// refreshMonth recomputes outlet's rollups of the month holding day.
func refreshMonth(tx *gorm.DB, outlet, day string) error {
	month := day[:7]
	from, to := monthBounds(month)
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM month_outlets WHERE month = ? AND outlet = ?`, []any{month, outlet}},
		{`INSERT INTO month_outlets(month, outlet, days, checkins, visitors, live, poster, assisted,
			feedback_received, feedback_resolved, activities, activity_participants,
			last_day, last_feedback_open, last_received_at)
		SELECT substr(day, 1, 7), outlet, COUNT(*), SUM(checkins), SUM(visitors), SUM(live), SUM(poster), SUM(assisted),
			SUM(feedback_received), SUM(feedback_resolved), SUM(activities), SUM(activity_participants),
			MAX(day), 0, MAX(received_at)
		FROM reports WHERE outlet = ? AND day >= ? AND day <= ? GROUP BY substr(day, 1, 7), outlet`, []any{outlet, from, to}},
		{`UPDATE month_outlets SET last_feedback_open = (SELECT r.feedback_open FROM reports r
			WHERE r.outlet = month_outlets.outlet AND r.day = month_outlets.last_day)
		WHERE month = ? AND outlet = ?`, []any{month, outlet}},
		{`DELETE FROM month_amenities WHERE month = ? AND outlet = ?`, []any{month, outlet}},
		{`INSERT INTO month_amenities(month, outlet, amenity, checkins, visitors)
		SELECT substr(day, 1, 7), outlet, amenity, SUM(checkins), SUM(visitors) FROM report_amenities
		WHERE outlet = ? AND day >= ? AND day <= ? GROUP BY substr(day, 1, 7), outlet, amenity`, []any{outlet, from, to}},
		{`DELETE FROM month_categories WHERE month = ? AND outlet = ?`, []any{month, outlet}},
		{`INSERT INTO month_categories(month, outlet, category, checkins)
		SELECT substr(day, 1, 7), outlet, category, SUM(checkins) FROM report_categories
		WHERE outlet = ? AND day >= ? AND day <= ? GROUP BY substr(day, 1, 7), outlet, category`, []any{outlet, from, to}},
	} {
		if err := tx.Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	return nil
}
