package branch

import "harbor/models"

// checkFeedbackAges checks a report's optional feedback.resolved_after
// (protocol v1 gained it; reports without it stay valid): at most
// models.MaxFeedbackAges entries, sorted by days without repeats, days
// 0-models.MaxFeedbackAgeDays, every count above 0, adding up to
// feedback.resolved.
func checkFeedbackAges(f *models.FeedbackCounts) error {
	if f == nil || f.ResolvedAfter == nil {
		return nil
	}
	ages := f.ResolvedAfter
	if len(ages) > models.MaxFeedbackAges {
		return models.Errorf(models.EINVALID, "feedback.resolved_after: %d entries, at most %d", len(ages), models.MaxFeedbackAges)
	}
	sum := 0
	for i, a := range ages {
		switch {
		case a.Days < 0 || a.Days > models.MaxFeedbackAgeDays:
			return models.Errorf(models.EINVALID, "feedback.resolved_after[%d].days = %d: want 0-%d days after the day received",
				i, a.Days, models.MaxFeedbackAgeDays)
		case a.Count < 1 || a.Count > MaxCount:
			return models.Errorf(models.EINVALID, "feedback.resolved_after[%d].count = %d: want 1-%d", i, a.Count, MaxCount)
		case i > 0 && a.Days <= ages[i-1].Days:
			return models.Errorf(models.EINVALID, "feedback.resolved_after[%d].days = %d: want the ages sorted, each once (%d came before)",
				i, a.Days, ages[i-1].Days)
		}
		sum += a.Count
	}
	if sum != f.Resolved {
		return models.Errorf(models.EINVALID, "feedback.resolved_after adds up to %d but feedback.resolved is %d", sum, f.Resolved)
	}
	return nil
}
