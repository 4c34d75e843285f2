package outlet

import (
	"context"
	"sync/atomic"
	"testing"
)

// stationRequest is a station-page check-in of two amenities by a new visitor.
func stationRequest(s *Service) CheckInRequest {
	return CheckInRequest{Outlet: s.Profile().Code, Token: s.PosterToken(""),
		Amenities: []string{"water", "phone_charging"}, Category: "courier", VisitorID: NewVisitorID()}
}

func BenchmarkVerifyToken(b *testing.B) {
	s := openTestService(b, nil)
	code, tok := s.Profile().Code, s.PosterToken("")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.VerifyToken(code, "", tok); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVisitorHash(b *testing.B) {
	s := openTestService(b, nil)
	if _, err := s.RecordCheckIn(context.Background(), stationRequest(s)); err != nil {
		b.Fatal(err) // loads today's salt
	}
	day := localToday(s)
	id := NewVisitorID()
	var h saltedHasher
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := h.visitor(s, day, id); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordCheckIn stores one check-in at a time: each pays a whole
// commit (an fsync of the WAL) on its own.
func BenchmarkRecordCheckIn(b *testing.B) {
	s := openTestService(b, nil)
	ctx := context.Background()
	reqs := make([]CheckInRequest, 0, 1024)
	for range cap(reqs) {
		reqs = append(reqs, stationRequest(s))
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		req := reqs[i%len(reqs)]
		req.VisitorID = NewVisitorID()
		if _, err := s.RecordCheckIn(ctx, req); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkRecordCheckInParallel stores check-ins from 16 goroutines per
// CPU, so the group-commit writer batches them.
func BenchmarkRecordCheckInParallel(b *testing.B) {
	s := openTestService(b, nil)
	ctx := context.Background()
	var recorded atomic.Int64
	b.SetParallelism(16)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		req := stationRequest(s)
		for pb.Next() {
			req.VisitorID = NewVisitorID()
			res, err := s.RecordCheckIn(ctx, req)
			if err != nil {
				b.Error(err)
				return
			}
			recorded.Add(int64(len(res.Recorded)))
		}
	})
	if int(recorded.Load()) != 2*b.N {
		b.Fatalf("recorded %d amenities for %d check-ins", recorded.Load(), b.N)
	}
}
