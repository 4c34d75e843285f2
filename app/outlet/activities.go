package outlet

import (
	"context"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/models"
)

// AddActivity logs an education activity. Its day may be in the past (staff
// log after the event) but not in the future.
func (s *Service) AddActivity(ctx context.Context, a models.Activity) (models.Activity, error) {
	a, err := s.checkActivity(a)
	if err != nil {
		return a, err
	}
	a.ID, a.CreatedAt = 0, s.now().UnixMilli()
	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		return MarkDirty(tx, a.Day)
	})
	return a, err
}

// checkActivity checks an activity's day (not in the future), theme,
// venue and participants, and tidies its theme.
func (s *Service) checkActivity(a models.Activity) (models.Activity, error) {
	a.Theme = strings.Join(strings.Fields(a.Theme), " ")
	if _, err := models.ParseDay(a.Day); err != nil {
		return a, err
	}
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	switch n := utf8.RuneCountInString(a.Theme); {
	case a.Day > today:
		return a, models.Errorf(models.EINVALID, "日期不能晚于今天 / the day cannot be in the future")
	case n < 1 || n > models.ThemeMaxChars || !models.PlainText(a.Theme):
		return a, models.Errorf(models.EINVALID, "主题需 1-%d 个字，不含控制字符 / theme: 1-%d characters, no control characters",
			models.ThemeMaxChars, models.ThemeMaxChars)
	case a.Participants < 0 || a.Participants > models.MaxParticipants:
		return a, models.Errorf(models.EINVALID, "参与人数需在 0 到 %d 之间 / participants: 0 to %d", models.MaxParticipants, models.MaxParticipants)
	}
	if _, ok := models.VenueByCode(a.Venue); !ok {
		return a, models.Errorf(models.EINVALID, "请选择场所类型 / choose a venue type")
	}
	return a, nil
}

// ActivitiesBetween lists the activities held from day from to day to
// (inclusive), by day.
func (s *Service) ActivitiesBetween(ctx context.Context, from, to string) ([]models.Activity, error) {
	var out []models.Activity
	err := s.db.Read.WithContext(ctx).Where("day BETWEEN ? AND ?", from, to).Order("day, id").Find(&out).Error
	return out, err
}

// activityReports are a day's activities as the report document lists them.
func activityReports(q *gorm.DB, day string) ([]models.ActivityReport, error) {
	var out []models.ActivityReport
	err := q.Raw(`SELECT theme, venue, participants FROM activities WHERE day = ? ORDER BY id`, day).Scan(&out).Error
	return out, err
}
