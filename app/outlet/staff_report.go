package outlet

import (
	"context"

	"gorm.io/gorm"

	"harbor/models"
)

// addStaffFigures fills the parts of a day's report that staff record:
// feedback counts and education activities.
func addStaffFigures(q *gorm.DB, r *models.Report) error {
	fb, err := feedbackCounts(q, r.Day)
	if err != nil {
		return err
	}
	r.Feedback = &fb
	r.Activities, err = activityReports(q, r.Day)
	return err
}

// TodayReport is the report document of the current local day so far.
func (s *Service) TodayReport(ctx context.Context) (models.Report, error) {
	day, _ := models.LocalDay(s.now(), s.cfg.Location)
	return s.BuildReport(ctx, day)
}
