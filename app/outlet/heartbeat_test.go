package outlet

import (
	"context"
	"sync"
	"testing"
	"time"

	"harbor/config"
)

// TestHeartbeatMarksServedMinutes: beats mark the minutes between them; a
// gap longer than MaxGap (a stop, a clock jump forwards) and a clock
// going back leave the minutes between unmarked; a restarted outlet starts
// afresh; a beat across midnight marks the day before changed.
func TestHeartbeatMarksServedMinutes(t *testing.T) {
	var mu sync.Mutex
	sh, _ := time.LoadLocation(config.DefaultTimeZone)
	now := time.Date(2026, 11, 25, 10, 0, 30, 0, sh)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
	s := openTestService(t, clock)
	ctx := context.Background()
	h := NewHeartbeat(s)
	beat := func(h *Heartbeat, hour, minute, second int) {
		set(time.Date(2026, 11, 25, hour, minute, second, 0, sh))
		if err := h.Beat(ctx); err != nil {
			t.Fatal(err)
		}
	}
	beat(h, 10, 0, 30)
	beat(h, 10, 1, 30)
	beat(h, 10, 2, 30)
	beat(h, 13, 0, 0)   // jumped forward three hours
	beat(h, 12, 0, 0)   // and back
	beat(h, 12, 1, 50)  // 12:00 and 12:01
	h = NewHeartbeat(s) // restarted
	beat(h, 13, 30, 0)
	cov, err := coverage(s.db.Read, "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	want := [24]int{}
	want[10], want[12], want[13] = 3, 2, 2
	if cov != want {
		t.Fatalf("coverage %v, want %v", cov, want)
	}

	beat(h, 23, 59, 30)
	set(time.Date(2026, 11, 26, 0, 0, 30, 0, sh))
	if err := h.Beat(ctx); err != nil {
		t.Fatal(err)
	}
	if cov, _ := coverage(s.db.Read, "2026-11-25"); cov[23] != 1 {
		t.Fatalf("23:59 not marked: %v", cov)
	}
	dirty, _ := s.dirtyDays(s.db.Read)
	if len(dirty) == 0 || dirty[0].Day != "2026-11-25" {
		t.Fatalf("the day before midnight should be marked changed: %v", dirty)
	}
}
