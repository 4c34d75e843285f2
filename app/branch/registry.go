package branch

import (
	"database/sql"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// regRow is one registered outlet as the console's views need it.
type regRow struct {
	Code, Name, Grp, Status string
	Enrolled                bool
	EnrolledAt              *int64
	RevokedAt               *int64
	LastContactAt           *int64
}

// registry lists every registered outlet by code.
func registry(tx *gorm.DB) ([]regRow, error) {
	var rows []regRow
	err := eachRow(tx, func(rs *sql.Rows) error {
		var r regRow
		err := rs.Scan(&r.Code, &r.Name, &r.Grp, &r.Status, &r.Enrolled, &r.EnrolledAt, &r.RevokedAt, &r.LastContactAt)
		rows = append(rows, r)
		return err
	}, `SELECT code, name, grp, status, public_key IS NOT NULL AS enrolled,
		enrolled_at, revoked_at, last_contact_at FROM outlets ORDER BY code`)
	return rows, err
}

// expected reports whether the outlet owes reports: active and enrolled.
func (r regRow) expected() bool { return r.Status == StatusActive && r.Enrolled }

// Location is the time zone of the console's days and times.
func (s *Service) Location() *time.Location { return s.loc }

// Today is the branch's local day now.
func (s *Service) Today() string {
	day, _ := models.LocalDay(s.now(), s.loc)
	return day
}

// Yesterday is the day before Today: the console's default day.
func (s *Service) Yesterday() string { return models.AddDays(s.Today(), -1) }

// lastDataDay is the latest day any report can be for: a report's day
// must have begun in its own time zone, at most a day ahead of UTC.
func (s *Service) lastDataDay() string {
	return s.now().UTC().AddDate(0, 0, 1).Format(models.DayLayout)
}

// localDay is the branch-local day of a unix-millisecond instant.
func (s *Service) localDay(ms int64) string {
	day, _ := models.LocalDay(time.UnixMilli(ms), s.loc)
	return day
}

// daysDue counts the days of from..to an outlet owed a report: from its
// enrollment (branch-local day) to its revocation, and only days over.
func (s *Service) daysDue(r regRow, from, to string) int {
	if r.EnrolledAt == nil {
		return 0
	}
	from = maxDay(from, s.localDay(*r.EnrolledAt))
	to = minDay(to, s.Yesterday())
	if r.RevokedAt != nil {
		to = minDay(to, models.AddDays(s.localDay(*r.RevokedAt), -1))
	}
	if from > to {
		return 0
	}
	return daysBetween(from, to) + 1
}

// reportedDue counts the days of from..to (to at most yesterday) outlet r
// owed a report and sent one. reported is its reports of from..to: the
// answer when it owed every day; when it was enrolled or revoked within
// the period, one query counts the reports of the days it owed, so that
// past days an outlet sent once it joined are not counted as due.
func (s *Service) reportedDue(tx *gorm.DB, r regRow, from, to string, reported int) (int, error) {
	due := s.daysDue(r, from, to)
	if due == 0 || from > to || due == daysBetween(from, to)+1 {
		return min(reported, due), nil
	}
	first := maxDay(from, s.localDay(*r.EnrolledAt))
	if r.RevokedAt != nil {
		to = minDay(to, addDays(s.localDay(*r.RevokedAt), -1))
	}
	var n int64
	err := tx.Raw(`SELECT COUNT(*) FROM reports WHERE outlet = ? AND day >= ? AND day <= ?`, r.Code, first, to).Scan(&n).Error
	return int(n), err
}
