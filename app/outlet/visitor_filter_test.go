package outlet

import (
	"context"
	"testing"
	"time"

	"harbor/models"
)

// TestVisitorFilterHasNoFalseNegatives: every added hash "may have" been
// stored; most others certainly were not.
func TestVisitorFilterHasNoFalseNegatives(t *testing.T) {
	s := openTestService(t, nil)
	day, _ := models.LocalDay(s.now(), s.cfg.Location)
	if err := s.loadDaySalt(s.writer.sqlDB, day); err != nil {
		t.Fatal(err)
	}
	f := visitorFilter{bits: make([]uint64, filterBits/64), day: day}
	var added []string
	for range 5000 {
		h, _ := s.visitorHash(day, NewVisitorID())
		f.add(h)
		added = append(added, h)
	}
	for _, h := range added {
		if !f.mayHave(h) {
			t.Fatalf("added hash %s reported as never stored", h)
		}
	}
	positives := 0
	for range 5000 {
		h, _ := s.visitorHash(day, NewVisitorID())
		if f.mayHave(h) {
			positives++
		}
	}
	if positives > 5 {
		t.Fatalf("%d false positives of 5000 at 5000 visitors", positives)
	}
	if !f.mayHave("not-a-hash") {
		t.Fatal("a malformed hash must go to the lookup")
	}
}

// TestDedupeSurvivesRestart: after a restart the writer's filter is
// loaded from the database, so a returning visitor is still a duplicate
// and still counts once.
func TestDedupeSurvivesRestart(t *testing.T) {
	now := time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := openTestService(t, clock)
	cfg := s.cfg
	req := CheckInRequest{Outlet: s.Profile().Code, Token: s.PosterToken(""), Amenities: []string{"water"}, VisitorID: NewVisitorID()}
	ctx := context.Background()
	if _, err := s.RecordCheckIn(ctx, req); err != nil {
		t.Fatal(err)
	}
	s.Close()

	now = now.Add(time.Minute)
	s, err := Open(ctx, cfg, clock)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other := req
	other.VisitorID = NewVisitorID()
	if res, err := s.RecordCheckIn(ctx, other); err != nil || len(res.Recorded) != 1 {
		t.Fatalf("a new visitor after the restart: %+v, %v", res, err)
	}
	req.Amenities = []string{"water", "wifi"}
	res, err := s.RecordCheckIn(ctx, req)
	if err != nil || len(res.Recorded) != 1 || len(res.Duplicates) != 1 || res.Duplicates[0] != "water" {
		t.Fatalf("the returning visitor after the restart: %+v, %v; want water a duplicate", res, err)
	}
	r, _ := s.BuildReport(ctx, res.Day)
	if r.Totals.Visitors != 2 || r.Totals.CheckIns != 3 {
		t.Fatalf("totals %+v; want 3 check-ins by 2 visitors", r.Totals)
	}
}
