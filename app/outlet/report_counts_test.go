package outlet

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"harbor/config"
	"harbor/models"
)

// openTestService opens a service on a temporary folder with clock.
func openTestService(tb testing.TB, clock func() time.Time) *Service {
	tb.Helper()
	cfg := config.OutletDefaults()
	cfg.DataDir, cfg.BaseURL = tb.TempDir(), "http://harbor.test"
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	s, err := Open(context.Background(), cfg, clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// TestDayCountsMatchRecount records random visits over three days through
// the real paths (concurrent check-ins with repeat visitors and dedupe,
// stickers, live codes, assisted groups) and checks that the report read
// from the counters equals a recount from the rows, figure for figure.
func TestDayCountsMatchRecount(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 24, 7, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	s := openTestService(t, clock)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	codes := []string{}
	for _, a := range s.Profile().Amenities[:12] {
		codes = append(codes, a.Code)
	}
	cats := []string{"", "sanitation", "courier", "delivery"}
	visitors := make([]string, 40)
	for i := range visitors {
		visitors[i] = NewVisitorID()
	}
	visitors[0] = "" // a phone without the cookie
	if err := s.SetOpeningHours(ctx, "每天 8:00-18:00"); err != nil {
		t.Fatal(err)
	}
	for step := 0; step < 60; step++ {
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			req := randomCheckIn(s, rng, codes, cats, visitors)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.RecordCheckIn(ctx, req); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if rng.IntN(5) == 0 {
			_, err := s.RecordAssisted(ctx, AssistedRequest{Amenities: codes[:1+rng.IntN(3)],
				Category: cats[rng.IntN(len(cats))], People: 1 + rng.IntN(6), Staff: "clerk"})
			if err != nil {
				t.Fatal(err)
			}
		}
		mu.Lock()
		now = now.Add(time.Duration(rng.IntN(90)) * time.Minute)
		mu.Unlock()
	}
	for _, day := range []string{"2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"} {
		slow := sameReport(t, s, day, "recording "+day)
		totals, err := dayTotals(s.db.Read, day)
		if err != nil || totals != slow.Totals {
			t.Fatalf("%s: dayTotals %+v, recount %+v (%v)", day, totals, slow.Totals, err)
		}
		if day == "2026-11-25" && (slow.Signals == nil || slow.Signals.Cookieless == 0 || slow.Signals.OffHours == 0 ||
			slow.Signals.TopAddress == 0 || slow.Signals.BusiestMinute == 0) {
			t.Fatalf("%s: every signal should have counted something: %+v", day, slow.Signals)
		}
		t.Logf("%s: %d check-ins, %d visitors, %d amenities, signals %+v", day, slow.Totals.CheckIns, slow.Totals.Visitors,
			len(slow.Amenities), slow.Signals)
	}
}

// sameReport fails the test unless the day's report from the counters
// equals a recount from the rows, figure for figure.
func sameReport(t *testing.T, s *Service, day, after string) models.Report {
	t.Helper()
	ctx := context.Background()
	fast, err := s.BuildReport(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	slow, err := s.RecountReport(ctx, day)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fast)
	b, _ := json.Marshal(slow)
	if string(a) != string(b) {
		t.Fatalf("after %s: counters and recount differ\ncounters: %s\nrecount:  %s", after, a, b)
	}
	return fast
}

// randomCheckIn is a station, sticker or live check-in by one of visitors.
func randomCheckIn(s *Service, rng *rand.Rand, codes, cats, visitors []string) CheckInRequest {
	req := CheckInRequest{Outlet: s.Profile().Code, Category: cats[rng.IntN(len(cats))],
		VisitorID: visitors[rng.IntN(len(visitors))],
		Client:    Client{Addr: fmt.Sprintf("10.0.0.%d", rng.IntN(5)), UserAgent: fmt.Sprintf("phone %d", rng.IntN(3))}}
	if req.VisitorID == "" {
		req.VisitorID, req.Cookieless = s.CookielessID(req.Client), true
	}
	switch rng.IntN(3) {
	case 0: // sticker
		req.Scope = codes[rng.IntN(len(codes))]
		req.Token = s.PosterToken(req.Scope)
	case 1:
		req.Token = s.LiveToken()
	default:
		req.Token = s.PosterToken("")
	}
	if req.Scope == "" {
		for k := 1 + rng.IntN(4); k > 0; k-- {
			req.Amenities = append(req.Amenities, codes[rng.IntN(len(codes))])
		}
	}
	return req
}

// TestCheckInsAreFrozen: the counters stay right only while check-ins are
// never changed or deleted; the database refuses both.
func TestCheckInsAreFrozen(t *testing.T) {
	s := openTestService(t, nil)
	_, err := s.RecordCheckIn(context.Background(), CheckInRequest{Outlet: s.Profile().Code,
		Token: s.PosterToken(""), Amenities: []string{"water"}, VisitorID: NewVisitorID()})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE checkins SET people = 2`, `DELETE FROM checkins`,
		`UPDATE checkin_amenities SET people = 2`, `DELETE FROM checkin_amenities`} {
		if err := s.db.Write.Exec(q).Error; err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if r, _ := s.BuildReport(context.Background(), localToday(s)); r.Totals.CheckIns != 1 {
		t.Fatalf("report after refused changes: %+v", r.Totals)
	}
}

func localToday(s *Service) string {
	day, _ := models.LocalDay(s.now(), s.cfg.Location)
	return day
}
