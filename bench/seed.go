package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"harbor/app/outlet"
	"harbor/models"
)

// dayClock is the service clock while seeding: every reading moves it on
// by step from the start of the day, so check-ins spread over the day's
// hours; then it stays at the next morning.
type dayClock struct {
	start time.Time
	step  time.Duration
	ticks atomic.Int64
	done  atomic.Bool
}

func (c *dayClock) now() time.Time {
	if c.done.Load() {
		return c.start.Add(33 * time.Hour)
	}
	return c.start.Add(time.Duration(c.ticks.Add(1)) * c.step)
}

// seedDay records n check-ins into the clock's day through the service's
// own write path (RecordCheckIn and RecordAssisted from 256 goroutines, so
// the group-commit writer stores them in large batches), not through HTTP.
// Visitors are drawn from pool ids, so many come back; one check-in in
// twenty is an assisted group of one to five. It returns the check-ins
// stored (a few more than n: the workers stop when n are in).
func seedDay(ctx context.Context, svc *outlet.Service, clock *dayClock, n, pool int) (int64, error) {
	ids := make([]string, pool)
	for i := range ids {
		ids[i] = outlet.NewVisitorID()
	}
	var codes []string
	for _, a := range svc.Profile().Amenities {
		codes = append(codes, a.Code)
	}
	cats := []string{"", "sanitation", "courier", "delivery", "construction", "other"}
	var stored atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 256; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(n)))
			for stored.Load() < int64(n) {
				res, err := seedOne(ctx, svc, rng, ids, codes, cats)
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				if res.ID != 0 {
					stored.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	clock.done.Store(true)
	return stored.Load(), firstErr
}

// seedOne records one random visit: station, sticker, live code or assisted.
func seedOne(ctx context.Context, svc *outlet.Service, rng *rand.Rand, ids, codes, cats []string) (outlet.CheckInResult, error) {
	cat := cats[rng.IntN(len(cats))]
	first := rng.IntN(len(codes))
	var picked []string
	for k := 1 + rng.IntN(3); k > 0; k-- {
		picked = append(picked, codes[(first+k*7)%len(codes)])
	}
	if rng.IntN(20) == 0 {
		return svc.RecordAssisted(ctx, outlet.AssistedRequest{Amenities: picked, Category: cat,
			People: 1 + rng.IntN(5), Staff: "clerk"})
	}
	req := outlet.CheckInRequest{Outlet: svc.Profile().Code, Category: cat, VisitorID: ids[rng.IntN(len(ids))]}
	switch r := rng.IntN(10); {
	case r < 2: // a sticker
		req.Scope = picked[0]
		req.Token = svc.PosterToken(req.Scope)
	case r < 5:
		req.Token, req.Amenities = svc.LiveToken(), picked
	default:
		req.Token, req.Amenities = svc.PosterToken(""), picked
	}
	res, err := svc.RecordCheckIn(ctx, req)
	if models.ErrorCode(err) == models.EEXPIRED {
		return res, nil // the clock passed a live window between minting and checking
	}
	return res, err
}
