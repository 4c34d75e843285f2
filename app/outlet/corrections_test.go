package outlet

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"harbor/models"
)

// TestCorrectionsKeepCountsExact mixes worker check-ins with assisted
// visits, then edits and voids assisted visits at random: after every
// correction the report from the counters equals a recount, a void of N
// people takes exactly N check-ins and N visitors away, and the day is
// marked for a new revision.
func TestCorrectionsKeepCountsExact(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := openTestService(t, clock)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 5))
	codes := []string{"water", "hot_water", "toilet", "phone_charging", "rest"}
	cats := []string{"", "sanitation", "courier"}
	visitors := []string{NewVisitorID(), NewVisitorID(), NewVisitorID()}
	var assisted []int64
	for i := 0; i < 40; i++ {
		if _, err := s.RecordCheckIn(ctx, randomCheckIn(s, rng, codes, cats, visitors)); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			res, err := s.RecordAssisted(ctx, AssistedRequest{Amenities: codes[:1+rng.IntN(4)],
				Category: cats[rng.IntN(len(cats))], People: 1 + rng.IntN(200), Staff: "clerk"})
			if err != nil {
				t.Fatal(err)
			}
			assisted = append(assisted, res.ID)
		}
		mu.Lock()
		now = now.Add(7 * time.Minute)
		mu.Unlock()
	}
	day := localToday(s)
	sameReport(t, s, day, "recording")
	by := Corrector{Staff: "clerk", Reason: "录错了"}
	for i, id := range assisted {
		before := sameReport(t, s, day, "the previous correction")
		v, err := s.AssistedVisit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.db.Write.Exec(`DELETE FROM report_dirty`).Error; err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := s.VoidAssisted(ctx, id, by); err != nil {
				t.Fatal(err)
			}
			after := sameReport(t, s, day, "a void")
			if before.Totals.CheckIns-after.Totals.CheckIns != v.People || before.Totals.Visitors-after.Totals.Visitors != v.People {
				t.Fatalf("voiding %d people: totals %+v became %+v", v.People, before.Totals, after.Totals)
			}
		} else {
			req := AssistedRequest{Amenities: codes[rng.IntN(3):][:2], Category: cats[rng.IntN(len(cats))], People: 1 + rng.IntN(200)}
			if err := s.EditAssisted(ctx, id, req, by); err != nil {
				t.Fatal(err)
			}
			after := sameReport(t, s, day, "an edit")
			if after.Totals.CheckIns-before.Totals.CheckIns != req.People-v.People {
				t.Fatalf("editing %d people to %d: totals %+v became %+v", v.People, req.People, before.Totals, after.Totals)
			}
		}
		if dirty, err := s.dirtyDays(s.db.Read); err != nil || len(dirty) != 1 || dirty[0].Day != day {
			t.Fatalf("after a correction the dirty days are %+v (%v)", dirty, err)
		}
	}
	trail, err := s.Corrections(ctx, 100)
	if err != nil || len(trail) != len(assisted) {
		t.Fatalf("audit trail: %d lines for %d corrections (%v)", len(trail), len(assisted), err)
	}
	last := trail[0]
	if last.Staff != "clerk" || last.Reason != "录错了" || last.Kind != "assisted" || last.Before.People == 0 {
		t.Fatalf("newest audit line: %+v", last)
	}
}

// TestCorrectionLimits: only assisted visits, only on their day, only
// one's own unless a manager; activities only while their month is open.
func TestCorrectionLimits(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := openTestService(t, clock)
	ctx := context.Background()
	worker, err := s.RecordCheckIn(ctx, CheckInRequest{Outlet: s.Profile().Code, Token: s.PosterToken(""),
		Amenities: []string{"water"}, VisitorID: NewVisitorID()})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := s.RecordAssisted(ctx, AssistedRequest{Amenities: []string{"water"}, People: 3, Staff: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	clerk, other, manager := Corrector{Staff: "clerk"}, Corrector{Staff: "other"}, Corrector{Staff: "boss", Manager: true}
	if err := s.VoidAssisted(ctx, worker.ID, manager); models.ErrorCode(err) != models.ENOTFOUND {
		t.Fatalf("voiding a worker's own check-in: %v", err)
	}
	if err := s.VoidAssisted(ctx, mine.ID, other); models.ErrorCode(err) != models.EFORBIDDEN {
		t.Fatalf("another clerk voiding: %v", err)
	}
	if err := s.EditAssisted(ctx, mine.ID, AssistedRequest{Amenities: []string{"tea"}, People: 2}, manager); err != nil {
		t.Fatalf("a manager editing: %v", err)
	}
	act, err := s.AddActivity(ctx, models.Activity{Day: "2026-10-31", Theme: "反诈宣传", Venue: "community", Staff: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	nov, err := s.AddActivity(ctx, models.Activity{Day: "2026-11-02", Theme: "金融知识", Venue: "school", Staff: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.VoidActivity(ctx, act.ID, manager); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("voiding an activity of a closed month: %v", err)
	}
	next := nov
	next.Participants, next.Day = 40, "2026-11-03"
	if err := s.EditActivity(ctx, nov.ID, next, clerk); err != nil {
		t.Fatalf("editing an activity of the open month: %v", err)
	}

	mu.Lock()
	now = now.Add(24 * time.Hour) // December 1st: November is still open, the visit's day is over
	mu.Unlock()
	if err := s.VoidAssisted(ctx, mine.ID, manager); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("voiding yesterday's assisted visit: %v", err)
	}
	if err := s.VoidActivity(ctx, nov.ID, clerk); err != nil {
		t.Fatalf("voiding November's activity on December 1st: %v", err)
	}
	mu.Lock()
	now = now.Add(24 * time.Hour) // December 2nd: November's reports have closed
	mu.Unlock()
	if !s.ActivityOpen("2026-12-02") || s.ActivityOpen("2026-11-30") {
		t.Fatal("November should close at 00:00 on December 2nd")
	}
	trail, _ := s.Corrections(ctx, 10)
	if len(trail) != 3 || trail[1].After == nil || *trail[1].After.Participants != 40 || trail[1].After.Day != "2026-11-03" {
		t.Fatalf("audit trail: %+v", trail)
	}
}
