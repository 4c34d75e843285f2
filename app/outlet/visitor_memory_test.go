package outlet

import (
	"context"
	"testing"
	"time"

	"harbor/models"
)

// TestFailedBatchForgetsItsVisits: a batch that rolls back must not leave
// its visits remembered. The visitor whose check-in failed is new again,
// and a visitor stored by the retry is still a duplicate afterwards.
func TestFailedBatchForgetsItsVisits(t *testing.T) {
	s := openTestService(t, nil)
	good, bad := NewVisitorID(), NewVisitorID()
	batch := []*pendingCheckIn{pending(s, good, "poster", "water"),
		pending(s, bad, "no-such-channel", "water")} // violates the CHECK constraint
	if errs := commitAll(s, batch); errs[0] != nil || errs[1] == nil {
		t.Fatalf("good member: %v; bad member: %v", errs[0], errs[1])
	}
	again := []*pendingCheckIn{pending(s, bad, "poster", "water"), pending(s, good, "poster", "water")}
	errs := commitAll(s, again)
	if p := again[0]; errs[0] != nil || len(p.res.Recorded) != 1 {
		t.Fatalf("the visitor whose check-in failed: %+v, %v; want water recorded", p.res, errs[0])
	}
	if p := again[1]; errs[1] != nil || len(p.res.Duplicates) != 1 {
		t.Fatalf("the visitor stored by the retry: %+v, %v; want water a duplicate", p.res, errs[1])
	}
	r, _ := s.BuildReport(context.Background(), batch[0].day)
	if r.Totals != (models.ReportTotals{CheckIns: 2, Visitors: 2}) {
		t.Fatalf("totals %+v; want 2 check-ins by 2 visitors", r.Totals)
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
