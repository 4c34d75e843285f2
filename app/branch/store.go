package branch

import (
	"strings"

	"gorm.io/gorm"

	"harbor/models"
)

// insertChunk bounds the rows of one multi-row INSERT, well under every
// database's limit on bound parameters.
const insertChunk = 200

// replaceReport makes r the current report of its outlet and day: the row,
// its amenity, category, hour and activity rows, the outlet's month
// rollups and its directory profile, inside the caller's transaction.
func (s *Service) replaceReport(tx *gorm.DB, r models.Report, hash string, body []byte) error {
	var fb models.FeedbackCounts
	if r.Feedback != nil {
		fb = *r.Feedback
	}
	participants := 0
	for _, a := range r.Activities {
		participants += a.Participants
	}
	// The WHERE guard keeps a lower revision from overwriting a higher one
	// even where the database lets two writers interleave.
	res := tx.Exec(`INSERT INTO reports(outlet, day, revision, final, timezone, content_hash, body,
		generated_at, received_at, checkins, visitors, live, poster, assisted,
		feedback_received, feedback_resolved, feedback_open, activities, activity_participants)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(outlet, day) DO UPDATE SET revision = excluded.revision, final = excluded.final,
			timezone = excluded.timezone, content_hash = excluded.content_hash, body = excluded.body,
			generated_at = excluded.generated_at, received_at = excluded.received_at,
			checkins = excluded.checkins, visitors = excluded.visitors, live = excluded.live,
			poster = excluded.poster, assisted = excluded.assisted,
			feedback_received = excluded.feedback_received, feedback_resolved = excluded.feedback_resolved,
			feedback_open = excluded.feedback_open, activities = excluded.activities,
			activity_participants = excluded.activity_participants
		WHERE reports.revision < excluded.revision`,
		r.Outlet, r.Day, r.Revision, r.Final, r.TimeZone, hash, string(body),
		r.GeneratedAt, millis(s.now()), r.Totals.CheckIns, r.Totals.Visitors,
		r.Channels.Live, r.Channels.Poster, r.Channels.Assisted,
		fb.Received, fb.Resolved, fb.Open, len(r.Activities), participants)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return models.Errorf(models.ECONFLICT, "a newer revision of %s for %s arrived at the same time; retry", r.Outlet, r.Day)
	}
	for _, table := range []string{"report_amenities", "report_categories", "report_hours", "report_activities"} {
		if err := tx.Exec(`DELETE FROM `+table+` WHERE outlet = ? AND day = ?`, r.Outlet, r.Day).Error; err != nil {
			return err
		}
	}
	if err := insertChildren(tx, r); err != nil {
		return err
	}
	if r.Profile != nil {
		if err := saveProfile(tx, r, millis(s.now())); err != nil {
			return err
		}
	}
	return refreshMonth(tx, r.Outlet, r.Day)
}

// insertChildren writes the report's per-amenity, per-category, non-zero
// per-hour and per-activity rows.
func insertChildren(tx *gorm.DB, r models.Report) error {
	var amenities, categories, hours, activities [][]any
	for _, a := range r.Amenities {
		amenities = append(amenities, []any{r.Outlet, r.Day, a.Code, a.CheckIns, a.Visitors})
	}
	for _, c := range r.Categories {
		categories = append(categories, []any{r.Outlet, r.Day, c.Code, c.CheckIns})
	}
	for h, n := range r.Hours {
		if n > 0 {
			hours = append(hours, []any{r.Outlet, r.Day, h, n})
		}
	}
	for i, a := range r.Activities {
		activities = append(activities, []any{r.Outlet, r.Day, i, a.Theme, a.Venue, a.Participants})
	}
	if err := insertRows(tx, "report_amenities(outlet, day, amenity, checkins, visitors)", amenities); err != nil {
		return err
	}
	if err := insertRows(tx, "report_categories(outlet, day, category, checkins)", categories); err != nil {
		return err
	}
	if err := insertRows(tx, "report_hours(outlet, day, hour, checkins)", hours); err != nil {
		return err
	}
	return insertRows(tx, "report_activities(outlet, day, seq, theme, venue, participants)", activities)
}

// insertRows inserts rows into target ("table(col, ...)") in chunks of
// multi-row INSERTs.
func insertRows(tx *gorm.DB, target string, rows [][]any) error {
	for len(rows) > 0 {
		chunk := rows[:min(insertChunk, len(rows))]
		rows = rows[len(chunk):]
		tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(chunk[0])), ", ") + ")"
		var args []any
		for _, row := range chunk {
			args = append(args, row...)
		}
		sql := "INSERT INTO " + target + " VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", len(chunk)), ", ")
		if err := tx.Exec(sql, args...).Error; err != nil {
			return err
		}
	}
	return nil
}
