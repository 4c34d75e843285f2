package outlet

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/models"
)

// Corrections of staff entries. A wrong assisted visit (up to 200 people)
// may be edited or voided on the local day it was recorded; an education
// activity while its month is open, that is until the month's reports
// close: 00:00 on the second day after the month ends, the moment after
// which the branch flags revised figures (revised_after_close). Each
// correction adjusts the day's counters in the same transaction, marks
// the day changed so that a new revision reaches the branch, and leaves a
// line in the audit trail (table corrections) managers can read: who,
// when, before and after, and why.

// MaxReasonChars bounds a correction's reason.
const MaxReasonChars = 200

// Corrector is who corrects: staff may correct the entries they recorded,
// managers every entry.
type Corrector struct {
	Staff   string
	Manager bool
	Reason  string
}

// AssistedVisit is one assisted visit as staff see and correct it.
type AssistedVisit struct {
	ID        int64
	At        int64 // unix milliseconds UTC
	Day       string
	Hour      int
	Category  string
	People    int
	Staff     string
	Amenities []string `gorm:"-"`
}

// CorrectionValues are what an entry held before or after a correction:
// an assisted visit's amenities, category and people, or an activity's
// day, theme, venue and participants.
type CorrectionValues struct {
	Amenities    []string `json:"amenities,omitempty"`
	Category     string   `json:"category,omitempty"`
	People       int      `json:"people,omitempty"`
	Day          string   `json:"day,omitempty"`
	Theme        string   `json:"theme,omitempty"`
	Venue        string   `json:"venue,omitempty"`
	Participants *int     `json:"participants,omitempty"`
}

// Correction is one line of the audit trail. After is nil for a void.
type Correction struct {
	ID       int64
	At       int64
	Staff    string
	Kind     string // assisted or activity
	Action   string // edit or void
	TargetID int64
	Day      string
	Before   CorrectionValues
	After    *CorrectionValues
	Reason   string
}

// AssistedOn lists the assisted visits of a local day, newest first.
func (s *Service) AssistedOn(ctx context.Context, day string) ([]AssistedVisit, error) {
	var visits []AssistedVisit
	q := s.db.Read.WithContext(ctx)
	if err := q.Raw(`SELECT id, at, day, hour, category, people, COALESCE(staff, '') AS staff FROM checkins
		WHERE day = ? AND channel = 'assisted' ORDER BY id DESC`, day).Scan(&visits).Error; err != nil {
		return nil, err
	}
	for i := range visits {
		if err := q.Raw(`SELECT amenity FROM checkin_amenities WHERE checkin_id = ? ORDER BY rowid`,
			visits[i].ID).Scan(&visits[i].Amenities).Error; err != nil {
			return nil, err
		}
	}
	return visits, nil
}

// AssistedVisit returns one assisted visit.
func (s *Service) AssistedVisit(ctx context.Context, id int64) (AssistedVisit, error) {
	return assistedVisit(s.db.Read.WithContext(ctx), id)
}

func assistedVisit(q *gorm.DB, id int64) (AssistedVisit, error) {
	var v AssistedVisit
	if err := q.Raw(`SELECT id, at, day, hour, category, people, COALESCE(staff, '') AS staff FROM checkins
		WHERE id = ? AND channel = 'assisted'`, id).Scan(&v).Error; err != nil {
		return v, err
	}
	if v.ID == 0 {
		return v, models.Errorf(models.ENOTFOUND, "没有这条代登记 #%d / no assisted visit #%d", id, id)
	}
	err := q.Raw(`SELECT amenity FROM checkin_amenities WHERE checkin_id = ? ORDER BY rowid`, id).Scan(&v.Amenities).Error
	return v, err
}

// CanCorrectAssisted tells whether by may still correct v: on its day, if
// it is theirs or they manage.
func (s *Service) CanCorrectAssisted(v AssistedVisit, by Corrector) error {
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	switch {
	case v.Day != today:
		return models.Errorf(models.EINVALID, "代登记只能在当天更正 / an assisted visit can be corrected only on the day it was recorded")
	case !by.Manager && v.Staff != by.Staff:
		return models.Errorf(models.EFORBIDDEN, "只能更正自己登记的记录，或请负责人更正 / you may correct only your own entries; ask a manager")
	}
	return nil
}

// EditAssisted sets an assisted visit's amenities, category and people
// (its time, day and recorder stay), adjusting the day's counters.
func (s *Service) EditAssisted(ctx context.Context, id int64, req AssistedRequest, by Corrector) error {
	amenities, err := s.validateAssisted(req)
	if err != nil {
		return err
	}
	return s.correctAssisted(ctx, id, by, &CorrectionValues{Amenities: amenities, Category: req.Category, People: req.People})
}

// VoidAssisted removes an assisted visit and its figures.
func (s *Service) VoidAssisted(ctx context.Context, id int64, by Corrector) error {
	return s.correctAssisted(ctx, id, by, nil)
}

// correctAssisted edits assisted visit id to after, or voids it (after
// nil), in one write transaction: the visit's figures leave day_counts,
// the new ones enter, counters left at zero go (a recount has no such
// rows), the day is marked changed and the audit line written.
func (s *Service) correctAssisted(ctx context.Context, id int64, by Corrector, after *CorrectionValues) error {
	reason, err := checkReason(by.Reason)
	if err != nil {
		return err
	}
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := assistedVisit(tx, id)
		if err != nil {
			return err
		}
		if err := s.CanCorrectAssisted(v, by); err != nil {
			return err
		}
		before := CorrectionValues{Amenities: v.Amenities, Category: v.Category, People: v.People}
		if err := addAssistedCounts(tx, v, -1); err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM checkin_amenities WHERE checkin_id = ?`, id).Error; err != nil {
			return err
		}
		action := "void"
		if after == nil {
			err = tx.Exec(`DELETE FROM checkins WHERE id = ?`, id).Error
		} else {
			action = "edit"
			v.Amenities, v.Category, v.People = after.Amenities, after.Category, after.People
			err = storeAssistedChange(tx, v)
		}
		if err != nil {
			return err
		}
		if err := tx.Exec(`DELETE FROM day_counts WHERE day = ? AND check_ins = 0 AND visitors = 0`, v.Day).Error; err != nil {
			return err
		}
		if err := MarkDirty(tx, v.Day); err != nil {
			return err
		}
		return audit(tx, s.now().UnixMilli(), by.Staff, "assisted", action, id, v.Day, before, after, reason)
	})
}

// storeAssistedChange writes v's new category, people and amenities and
// counts them.
func storeAssistedChange(tx *gorm.DB, v AssistedVisit) error {
	if err := tx.Exec(`UPDATE checkins SET category = ?, people = ? WHERE id = ?`, v.Category, v.People, v.ID).Error; err != nil {
		return err
	}
	for _, a := range v.Amenities {
		if err := tx.Exec(`INSERT INTO checkin_amenities(checkin_id, amenity, day, at, visitor, people)
			VALUES (?, ?, ?, ?, NULL, ?)`, v.ID, a, v.Day, v.At, v.People).Error; err != nil {
			return err
		}
	}
	return addAssistedCounts(tx, v, 1)
}

// addAssistedCounts adds (sign 1) or takes away (sign -1) an assisted
// visit's figures in day_counts: each of its people is a check-in and a
// visitor of the day and of each amenity (the writer's rule, see
// dayCountDeltas.addCheckIn).
func addAssistedCounts(tx *gorm.DB, v AssistedVisit, sign int) error {
	n := sign * v.People
	rows := [][4]any{{"total", "", n, n}, {"category", v.Category, n, 0}, {"channel", models.ChannelAssisted, n, 0},
		{"hour", strconv.Itoa(v.Hour), n, 0}}
	for _, a := range v.Amenities {
		rows = append(rows, [4]any{"amenity", a, n, n})
	}
	for _, r := range rows {
		if err := tx.Exec(sqlCount, v.Day, r[0], r[1], r[2], r[3]).Error; err != nil {
			return err
		}
	}
	return nil
}

// ActivityOpen tells whether an activity of day may still be corrected:
// until its month's reports close, 00:00 on the second day after the
// month ends (the branch flags figures revised later).
func (s *Service) ActivityOpen(day string) bool {
	d, err := models.ParseDay(day)
	if err != nil {
		return false
	}
	closes := time.Date(d.Year(), d.Month()+1, 2, 0, 0, 0, 0, time.UTC) // the month's last day + 2
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	return today < closes.Format(models.DayLayout)
}

// Activity returns one education activity.
func (s *Service) Activity(ctx context.Context, id int64) (models.Activity, error) {
	return activityByID(s.db.Read.WithContext(ctx), id)
}

func activityByID(q *gorm.DB, id int64) (models.Activity, error) {
	var a models.Activity
	if err := q.Where("id = ?", id).Limit(1).Find(&a).Error; err != nil {
		return a, err
	}
	if a.ID == 0 {
		return a, models.Errorf(models.ENOTFOUND, "没有这项活动 #%d / no activity #%d", id, id)
	}
	return a, nil
}

// CanCorrectActivity tells whether by may still correct a.
func (s *Service) CanCorrectActivity(a models.Activity, by Corrector) error {
	switch {
	case !s.ActivityOpen(a.Day):
		return models.Errorf(models.EINVALID, "%s 所在月份的报告已关闭，不能再更正 / the reports of %s's month have closed", a.Day, a.Day)
	case !by.Manager && a.Staff != by.Staff:
		return models.Errorf(models.EFORBIDDEN, "只能更正自己登记的记录，或请负责人更正 / you may correct only your own entries; ask a manager")
	}
	return nil
}

// EditActivity sets an activity's day, theme, venue and participants;
// the new day's month must be open too.
func (s *Service) EditActivity(ctx context.Context, id int64, next models.Activity, by Corrector) error {
	next, err := s.checkActivity(next)
	if err != nil {
		return err
	}
	if !s.ActivityOpen(next.Day) {
		return models.Errorf(models.EINVALID, "%s 所在月份的报告已关闭 / the reports of %s's month have closed", next.Day, next.Day)
	}
	return s.correctActivity(ctx, id, by, &next)
}

// VoidActivity removes an activity.
func (s *Service) VoidActivity(ctx context.Context, id int64, by Corrector) error {
	return s.correctActivity(ctx, id, by, nil)
}

func (s *Service) correctActivity(ctx context.Context, id int64, by Corrector, next *models.Activity) error {
	reason, err := checkReason(by.Reason)
	if err != nil {
		return err
	}
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := activityByID(tx, id)
		if err != nil {
			return err
		}
		if err := s.CanCorrectActivity(a, by); err != nil {
			return err
		}
		before := activityValues(a)
		var after *CorrectionValues
		action := "void"
		if next == nil {
			err = tx.Exec(`DELETE FROM activities WHERE id = ?`, id).Error
		} else {
			action, after = "edit", ptrTo(activityValues(*next))
			err = tx.Exec(`UPDATE activities SET day = ?, theme = ?, venue = ?, participants = ? WHERE id = ?`,
				next.Day, next.Theme, next.Venue, next.Participants, id).Error
			if err == nil && next.Day != a.Day {
				err = MarkDirty(tx, next.Day)
			}
		}
		if err != nil {
			return err
		}
		if err := MarkDirty(tx, a.Day); err != nil {
			return err
		}
		return audit(tx, s.now().UnixMilli(), by.Staff, "activity", action, id, a.Day, before, after, reason)
	})
}

func activityValues(a models.Activity) CorrectionValues {
	return CorrectionValues{Day: a.Day, Theme: a.Theme, Venue: a.Venue, Participants: ptrTo(a.Participants)}
}

func ptrTo[T any](v T) *T { return &v }

func checkReason(reason string) (string, error) {
	reason = strings.Join(strings.Fields(reason), " ")
	if utf8.RuneCountInString(reason) > MaxReasonChars {
		return "", models.Errorf(models.EINVALID, "更正原因最多 %d 个字 / reason: at most %d characters", MaxReasonChars, MaxReasonChars)
	}
	return reason, nil
}

// audit writes one line of the audit trail inside tx.
func audit(tx *gorm.DB, at int64, staff, kind, action string, id int64, day string, before CorrectionValues,
	after *CorrectionValues, reason string) error {
	b, err := json.Marshal(before)
	if err != nil {
		return err
	}
	var a []byte
	if after != nil {
		if a, err = json.Marshal(after); err != nil {
			return err
		}
	}
	return tx.Exec(`INSERT INTO corrections(at, staff, kind, action, target_id, day, before, after, reason)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, at, staff, kind, action, id, day, string(b), string(a), reason).Error
}

// Corrections lists the newest limit lines of the audit trail.
func (s *Service) Corrections(ctx context.Context, limit int) ([]Correction, error) {
	var rows []struct {
		ID, At, TargetID                 int64
		Staff, Kind, Action, Day, Reason string
		BeforeJSON, AfterJSON            string
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT id, at, staff, kind, action, target_id, day,
		before AS before_json, after AS after_json, reason FROM corrections ORDER BY id DESC LIMIT ?`, limit).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Correction, len(rows))
	for i, r := range rows {
		out[i] = Correction{ID: r.ID, At: r.At, Staff: r.Staff, Kind: r.Kind, Action: r.Action, TargetID: r.TargetID,
			Day: r.Day, Reason: r.Reason}
		if err := json.Unmarshal([]byte(r.BeforeJSON), &out[i].Before); err != nil {
			return nil, err
		}
		if r.AfterJSON != "" {
			out[i].After = new(CorrectionValues)
			if err := json.Unmarshal([]byte(r.AfterJSON), out[i].After); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
