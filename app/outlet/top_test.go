package outlet

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestTopAmenitiesFollowTheFigures: the station page's first amenities are
// the pinned ones, then the most used of the days before today, then the
// commonly used; today's check-ins move nothing until tomorrow.
func TestTopAmenitiesFollowTheFigures(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := openTestService(t, clock)
	ctx := context.Background()
	top, err := s.TopAmenities(ctx)
	if err != nil || len(top) != TopCount || top[0] != "water" || top[2] != "phone_charging" {
		t.Fatalf("a new outlet's top: %v (%v)", top, err)
	}
	checkIn := func(amenities ...string) {
		_, err := s.RecordCheckIn(ctx, CheckInRequest{Outlet: s.Profile().Code, Token: s.PosterToken(""),
			Amenities: amenities, VisitorID: NewVisitorID()})
		if err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		checkIn("umbrella", "pump")
	}
	checkIn("pump")
	if top, _ := s.TopAmenities(ctx); top[0] != "water" {
		t.Fatalf("today's check-ins moved the top already: %v", top)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour)
	mu.Unlock()
	if top, _ := s.TopAmenities(ctx); !slices.Equal(top[:3], []string{"pump", "umbrella", "water"}) {
		t.Fatalf("the next day's top: %v", top)
	}
	if err := s.SetAmenityPinned(ctx, "tv", true); err != nil {
		t.Fatal(err)
	}
	if top, _ := s.TopAmenities(ctx); !slices.Equal(top[:3], []string{"tv", "pump", "umbrella"}) || len(top) != TopCount {
		t.Fatalf("with tv pinned: %v", top)
	}
}
