package outlet

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// seedCheckIns stores n check-ins for the service's current day through
// the writer's own transaction code, 1,000 per transaction: the same rows
// and counter updates as live check-ins, without the HTTP round trips.
// Visitors repeat (n/3 distinct), as returning workers do.
func seedCheckIns(tb testing.TB, s *Service, n int) {
	tb.Helper()
	now := s.now().UTC()
	day, hour := localToday(s), now.In(s.cfg.Location).Hour()
	codes := []string{}
	for _, a := range s.Profile().Amenities {
		codes = append(codes, a.Code)
	}
	visitors := make([]string, max(1, n/3))
	for i := range visitors {
		visitors[i] = NewVisitorID()
	}
	for done := 0; done < n; {
		batch := make([]*pendingCheckIn, 0, 1000)
		for ; done < n && len(batch) < cap(batch); done++ {
			// Past the dedupe window, so nothing is dropped as a duplicate.
			at := now.Add(time.Duration(done-n) * time.Hour)
			batch = append(batch, &pendingCheckIn{at: at, day: day, hour: hour,
				channel: "poster", category: []string{"", "courier", "delivery"}[done%3],
				visitorID: visitors[done%len(visitors)], minute: done % (24 * 60), // every minute's counter
				amenities: []string{codes[done%len(codes)], codes[(done*7+1)%len(codes)]}, people: 1})
		}
		if err := s.writer.inTx(batch); err != nil {
			tb.Fatal(err)
		}
	}
}

func benchmarkReport(b *testing.B, n int, build func(*Service, context.Context, string) error) {
	s := openTestService(b, nil)
	seedCheckIns(b, s, n)
	day, ctx := localToday(s), context.Background()
	b.ResetTimer()
	for b.Loop() {
		if err := build(s, ctx, day); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildReport reads a day's report from the counters
// (day_counts); `go run ./bench rollup` does the same at 1,000,000.
func BenchmarkBuildReport(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			benchmarkReport(b, n, func(s *Service, ctx context.Context, day string) error {
				_, err := s.BuildReport(ctx, day)
				return err
			})
		})
	}
}

// BenchmarkRecountReport counts the same day from the rows, as BuildReport
// did before migration 0004.
func BenchmarkRecountReport(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			benchmarkReport(b, n, func(s *Service, ctx context.Context, day string) error {
				_, err := s.RecountReport(ctx, day)
				return err
			})
		})
	}
}
