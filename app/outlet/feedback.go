package outlet

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/models"
)

// FeedbackInput is what a worker sends from the feedback form. Nothing in
// it identifies the worker.
type FeedbackInput struct {
	Rating  int
	Amenity string // optional enabled amenity code
	Text    string
}

// SubmitFeedback stores a worker's feedback.
func (s *Service) SubmitFeedback(ctx context.Context, in FeedbackInput) (models.Feedback, error) {
	f, err := s.newFeedback(in, s.now())
	if err != nil {
		return f, err
	}
	return f, s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return storeFeedback(tx, &f) })
}

// newFeedback checks in and makes the feedback received at at.
func (s *Service) newFeedback(in FeedbackInput, at time.Time) (models.Feedback, error) {
	in, err := CheckFeedback(s.Profile(), in)
	if err != nil {
		return models.Feedback{}, err
	}
	day, _ := models.LocalDay(at, s.cfg.Location)
	return models.Feedback{At: at.UnixMilli(), Day: day, Rating: in.Rating, Amenity: in.Amenity, Text: in.Text}, nil
}

// CheckFeedback checks a worker's feedback for the station of profile p
// and returns it with its text trimmed.
func CheckFeedback(p *models.Profile, in FeedbackInput) (FeedbackInput, error) {
	in.Text = strings.TrimSpace(in.Text)
	if in.Rating < 1 || in.Rating > 5 {
		return in, models.Errorf(models.EINVALID, "满意程度需为 1 到 5 / rating must be 1 to 5")
	}
	if utf8.RuneCountInString(in.Text) > models.FeedbackMaxChars || !utf8.ValidString(in.Text) {
		return in, models.Errorf(models.EINVALID, "意见最多 %d 个字 / feedback text: at most %d characters", models.FeedbackMaxChars, models.FeedbackMaxChars)
	}
	if in.Amenity != "" && !slices.ContainsFunc(p.Amenities, func(a models.Amenity) bool { return a.Code == in.Amenity }) {
		return in, models.Errorf(models.EINVALID, "没有这项服务：%q / unknown service code %q", truncate(in.Amenity, 40), truncate(in.Amenity, 40))
	}
	return in, nil
}

// storeFeedback stores f inside tx and marks its day changed.
func storeFeedback(tx *gorm.DB, f *models.Feedback) error {
	if err := tx.Create(f).Error; err != nil {
		return err
	}
	return MarkDirty(tx, f.Day)
}

// FeedbackList returns feedback newest first: only open items when
// openOnly, at most limit.
func (s *Service) FeedbackList(ctx context.Context, openOnly bool, limit int) ([]models.Feedback, error) {
	q := s.db.Read.WithContext(ctx).Order("id DESC").Limit(limit)
	if openOnly {
		q = q.Where("resolved_at IS NULL")
	}
	var out []models.Feedback
	return out, q.Find(&out).Error
}

// ResolveFeedback marks feedback id resolved by staff with a short note.
func (s *Service) ResolveFeedback(ctx context.Context, id int64, staff, note string) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > models.NoteMaxChars {
		return models.Errorf(models.EINVALID, "处理说明最多 %d 个字 / note: at most %d characters", models.NoteMaxChars, models.NoteMaxChars)
	}
	now := s.now()
	day, _ := models.LocalDay(now, s.cfg.Location)
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Feedback{}).Where("id = ? AND resolved_at IS NULL", id).
			Updates(map[string]any{"resolved_at": now.UnixMilli(), "resolved_day": day, "resolved_by": staff, "note": note})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ENOTFOUND, "没有待处理的意见 #%d / no open feedback #%d", id, id)
		}
		return MarkDirty(tx, day)
	})
}

// feedbackCounts are a day's report figures: received that day, resolved
// that day, open at the end of that day, and the ages of that day's
// resolutions (days since the day received). One statement reads them
// all, so that the ages add up to the resolved count even while staff
// resolve more. A resolution cannot be undone (ResolveFeedback only sets
// it), so a day's ages only ever grow with its count. Feedback dated after
// the day it was resolved (a gateway's clock ahead of the outlet's) is
// counted on neither side, as before. A day whose ages do not fit the
// protocol (too many, or too old) is sent without them.
func feedbackCounts(q *gorm.DB, day string) (models.FeedbackCounts, error) {
	var rows []struct {
		Kind  string
		Days  int
		Count int
	}
	err := q.Raw(`SELECT 'age' AS kind, CAST(julianday(resolved_day) - julianday(day) AS INTEGER) AS days, COUNT(*) AS count
			FROM feedback WHERE resolved_day = ? AND day <= ? GROUP BY 2
		UNION ALL SELECT 'received', 0, COUNT(*) FROM feedback WHERE day = ?
		UNION ALL SELECT 'open', 0, COUNT(*) FROM feedback WHERE day <= ? AND (resolved_day IS NULL OR resolved_day > ?)
		ORDER BY 1, 2`, day, day, day, day, day).Scan(&rows).Error
	var c models.FeedbackCounts
	fits := true
	for _, r := range rows {
		switch r.Kind {
		case "received":
			c.Received = r.Count
		case "open":
			c.Open = r.Count
		default:
			c.Resolved += r.Count
			fits = fits && r.Days >= 0 && r.Days <= models.MaxFeedbackAgeDays
			c.ResolvedAfter = append(c.ResolvedAfter, models.FeedbackAge{Days: r.Days, Count: r.Count})
		}
	}
	if !fits || len(c.ResolvedAfter) > models.MaxFeedbackAges {
		c.ResolvedAfter = nil
	}
	return c, err
}
