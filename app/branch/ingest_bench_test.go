package branch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"

	"harbor/app/apptest"
	"harbor/app/branch/branchseed"
	"harbor/app/signing"
	"harbor/config"
	"harbor/models"
)

// benchOutlets is how many enrolled outlets the ingest benchmarks push for.
const benchOutlets = 200

// BenchmarkIngest checks and stores one realistic signed report at a time
// (branchseed.Report: 15 amenities, 6 categories, 24 hours, a profile)
// through Service.Ingest: signature, parsing, checks, the writer and one
// commit each. No HTTP.
func BenchmarkIngest(b *testing.B) {
	eachBackend(b, func(b *testing.B, cfg config.Branch) { benchIngest(b, cfg, false) })
}

// BenchmarkIngestParallel is BenchmarkIngest from GOMAXPROCS×8 goroutines,
// so that the writer stores the reports in batches.
func BenchmarkIngestParallel(b *testing.B) {
	eachBackend(b, func(b *testing.B, cfg config.Branch) { benchIngest(b, cfg, true) })
}

func eachBackend(b *testing.B, fn func(b *testing.B, cfg config.Branch)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, apptest.BranchConfig(b)) })
	b.Run("postgres", func(b *testing.B) { fn(b, apptest.BranchConfigPostgres(b)) })
}

type signedReport struct {
	outlet, sig string
	body        []byte
}

func benchIngest(b *testing.B, cfg config.Branch, parallel bool) {
	br := apptest.NewBranch(b, cfg)
	codes := make([]string, benchOutlets)
	for i := range codes {
		codes[i] = fmt.Sprintf("BN%04d", i+1)
	}
	outlets := br.EnrollMany(codes...)
	// Every report is a new outlet and day, so that each one is stored.
	pushes := make([]signedReport, b.N)
	size := 0
	for i := range pushes {
		o := outlets[i%len(outlets)]
		day := models.AddDays(br.Svc.Yesterday(), -i/len(outlets))
		body, err := json.Marshal(branchseed.Report(o.Code, day, 1, i%len(outlets)+1))
		if err != nil {
			b.Fatal(err)
		}
		size += len(body)
		pushes[i] = signedReport{outlet: o.Code, sig: signing.Sign(o.Key, br.Clock.Now(), body), body: body}
	}
	ctx := context.Background()
	ingest := func(p signedReport) {
		res, err := br.Svc.Ingest(ctx, p.outlet, p.sig, p.body)
		if err != nil || res.Status != "accepted" {
			b.Fatalf("ingest %s: %+v %v", p.outlet, res, err)
		}
	}
	b.SetBytes(int64(size / max(1, b.N)))
	b.ReportAllocs()
	b.ResetTimer()
	if !parallel {
		for _, p := range pushes {
			ingest(p)
		}
		return
	}
	var next atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ingest(pushes[next.Add(1)-1])
		}
	})
}
