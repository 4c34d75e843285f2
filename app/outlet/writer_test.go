package outlet

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"harbor/app/db"
	"harbor/models"
)

// pending is a validated station check-in as RecordCheckIn queues it.
func pending(s *Service, visitorID, channel string, amenities ...string) *pendingCheckIn {
	now := s.now().UTC()
	day, hour := models.LocalDay(now, s.cfg.Location)
	return &pendingCheckIn{at: now, day: day, hour: hour, channel: channel,
		visitorID: visitorID, amenities: amenities, people: 1}
}

// commitAll queues batch through the writer and returns each member's
// error.
func commitAll(s *Service, batch []*pendingCheckIn) []error {
	return s.writer.batches.SubmitAll(context.Background(), batch)
}

// TestWriterDedupesInsideOneBatch: members of one transaction are stored
// one after the other, so a visitor's second submission in the same batch
// is a duplicate, and the visitor counts once.
func TestWriterDedupesInsideOneBatch(t *testing.T) {
	s := openTestService(t, nil)
	id := NewVisitorID()
	batch := []*pendingCheckIn{pending(s, id, "poster", "water"), pending(s, id, "poster", "water", "wifi"),
		pending(s, id, "live", "water", "wifi")}
	if err := s.writer.inTx(batch); err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ rec, dup int }{{1, 0}, {1, 1}, {0, 2}} {
		p := batch[i]
		if len(p.res.Recorded) != want.rec || len(p.res.Duplicates) != want.dup {
			t.Fatalf("member %d: %+v; want %d recorded, %d duplicates", i, p.res, want.rec, want.dup)
		}
	}
	r, err := s.BuildReport(context.Background(), batch[0].day)
	if err != nil || r.Totals != (models.ReportTotals{CheckIns: 2, Visitors: 1}) {
		t.Fatalf("totals %+v (%v); want 2 check-ins by 1 visitor", r.Totals, err)
	}
}

// TestWriterIsolatesAFailingMember: a member the database refuses fails
// alone; the others of its batch are stored and answered.
func TestWriterIsolatesAFailingMember(t *testing.T) {
	s := openTestService(t, nil)
	batch := []*pendingCheckIn{pending(s, NewVisitorID(), "poster", "water"),
		pending(s, NewVisitorID(), "no-such-channel", "water"), // violates the CHECK constraint
		pending(s, NewVisitorID(), "live", "wifi")}
	errs := commitAll(s, batch)
	if errs[1] == nil {
		t.Fatal("the bad member was accepted")
	}
	for _, i := range []int{0, 2} {
		if p := batch[i]; errs[i] != nil || p.res.ID == 0 {
			t.Fatalf("good member %d: %+v, %v", i, p.res, errs[i])
		}
	}
	r, _ := s.BuildReport(context.Background(), batch[0].day)
	if r.Totals.CheckIns != 2 || r.Channels.Poster != 1 || r.Channels.Live != 1 {
		t.Fatalf("report after a failed member: %+v %+v", r.Totals, r.Channels)
	}
}

// TestCloseDrainsTheWriter: check-ins racing with Close are either
// acknowledged and on disk, or refused as unavailable; nothing in between.
func TestCloseDrainsTheWriter(t *testing.T) {
	s := openTestService(t, nil)
	path := filepath.Join(s.cfg.DataDir, DBFile)
	req := CheckInRequest{Outlet: s.Profile().Code, Token: s.PosterToken(""), Amenities: []string{"water"}}
	var acked atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				r := req
				r.VisitorID = NewVisitorID()
				_, err := s.RecordCheckIn(context.Background(), r)
				if err != nil {
					if models.ErrorCode(err) != models.EUNAVAILABLE {
						t.Errorf("check-in during Close: %v", err)
					}
					return
				}
				acked.Add(1)
			}
		}()
	}
	for deadline := time.Now().Add(time.Minute); acked.Load() < 100; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the writer acknowledged %d check-ins in a minute, want 100 before Close", acked.Load())
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	d, err := db.OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var rows int64
	if err := d.Read.Raw(`SELECT COUNT(*) FROM checkins`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if rows != acked.Load() {
		t.Fatalf("%d check-ins acknowledged, %d on disk", acked.Load(), rows)
	}
}
