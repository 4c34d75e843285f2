package outlet

import (
	"reflect"
	"testing"
	"time"

	"harbor/models"
)

// TestFeedbackAges: a day's resolutions are grouped by their age in local
// days, across a month's end and a year's; a day whose ages do not fit
// the protocol (older than models.MaxFeedbackAgeDays, or more than
// models.MaxFeedbackAges of them) is reported without ages, its counts
// unchanged.
func TestFeedbackAges(t *testing.T) {
	s := openTestService(t, func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) })
	add := func(received, resolved string, n int) {
		var day any // NULL: still open
		if resolved != "" {
			day = resolved
		}
		for range n {
			if err := s.db.Write.Exec(`INSERT INTO feedback(at, day, rating, resolved_at, resolved_day) VALUES (0, ?, 3, 1, ?)`,
				received, day).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	add("2026-11-30", "2026-11-30", 2)
	add("2026-11-27", "2026-11-30", 1)
	add("2025-12-31", "2026-11-30", 1)
	add("2026-11-30", "", 1)
	add("2026-11-29", "", 1)
	got, err := feedbackCounts(s.db.Read, "2026-11-30")
	if err != nil {
		t.Fatal(err)
	}
	want := models.FeedbackCounts{Received: 3, Resolved: 4, Open: 2,
		ResolvedAfter: []models.FeedbackAge{{Days: 0, Count: 2}, {Days: 3, Count: 1}, {Days: 334, Count: 1}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}

	add("2016-01-01", "2026-11-29", 1) // 3986 days: too old
	if got, _ := feedbackCounts(s.db.Read, "2026-11-29"); got.Resolved != 1 || got.ResolvedAfter != nil {
		t.Fatalf("an age over %d days: %+v, want resolved 1 without ages", models.MaxFeedbackAgeDays, got)
	}
	first, _ := models.ParseDay("2024-01-01")
	for i := range models.MaxFeedbackAges + 1 {
		add(first.AddDate(0, 0, i).Format(models.DayLayout), "2026-11-28", 1)
	}
	if got, _ := feedbackCounts(s.db.Read, "2026-11-28"); got.Resolved != models.MaxFeedbackAges+1 || got.ResolvedAfter != nil {
		t.Fatalf("%d ages: resolved %d with %d ages, want %d without", models.MaxFeedbackAges+1, got.Resolved, len(got.ResolvedAfter),
			models.MaxFeedbackAges+1)
	}
}
