package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"harbor/app/branch/branchseed"
	"harbor/app/signing"
	"harbor/models"
)

// ingestFigures is what the ingest scenario measured.
type ingestFigures struct {
	Machine     machine     `json:"machine"`
	Backend     string      `json:"backend"`
	Outlets     int         `json:"outlets"`
	DaysEach    int         `json:"days_per_outlet"`
	Clients     int         `json:"clients"`
	BodyBytes   int         `json:"body_bytes_mean"`
	EnrollSec   float64     `json:"enroll_seconds"`
	Push        phaseResult `json:"push"`
	Stored      int64       `json:"reports_stored"`
	Receipts    int64       `json:"receipts"`
	RollupDiffs int64       `json:"rollup_rows_differing"` // month and day rollups vs sums of the stored reports
	ErrorLines  int64       `json:"error_lines_in_log"`
	Locked      int64       `json:"database_locked_in_log"`
}

func runIngest(args []string) error {
	var jsonPath, dsn, profile string
	fs := newFlags("ingest", &jsonPath)
	fs.StringVar(&dsn, "db", "", "PostgreSQL URL to run on (a schema is created and dropped); empty: SQLite in a temporary folder")
	outlets := fs.Int("outlets", 2000, "outlets to register and enroll")
	days := fs.Int("days", 5, "days each outlet pushes (the days before today, day by day across all outlets)")
	clients := fs.Int("clients", 32, "concurrent HTTP clients pushing")
	fs.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the push phase here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	f := ingestFigures{Machine: thisMachine(), Outlets: *outlets, DaysEach: *days, Clients: *clients}
	fmt.Println("machine:", f.Machine)
	srv, err := startBranch(dsn, schemaOpts{}, nil)
	if err != nil {
		return err
	}
	defer srv.stop()
	f.Backend = srv.Backend

	start := time.Now()
	keys, err := enrollOutlets(srv, *outlets)
	if err != nil {
		return err
	}
	f.EnrollSec = time.Since(start).Seconds()
	fmt.Printf("%s: registered and enrolled %d outlets through the service in %.1f s\n", f.Backend, *outlets, f.EnrollSec)

	pushes, size := signedPushes(srv.URL, keys, *days, srv.Branch.Svc.Today())
	f.BodyBytes = size / len(pushes)
	fmt.Printf("%d signed pushes ready (%d outlets × %d days), %d bytes each on average\n", len(pushes), *outlets, *days, f.BodyBytes)

	var p *phase
	if err := cpuProfiled(profile, "the push phase", func() error { p = pushAll(branchClient(*clients), pushes, *clients); return nil }); err != nil {
		return err
	}
	f.Push = p.result("branch", "saturation", *clients, 0)
	printPhases(os.Stdout, []phaseResult{f.Push})
	fmt.Printf("pushes stored: %.0f/s (target ≥ 2,000/s)\n", f.Push.PerSec)

	if err := verifyIngest(srv.Branch.Svc.DB().Read, &f); err != nil {
		return err
	}
	f.ErrorLines, f.Locked = srv.Logs.Errors.Load(), srv.Logs.Locked.Load()
	fmt.Printf("stored reports %d of %d pushed, receipts %d; month and day rollup rows differing from the reports' sums: %d\n",
		f.Stored, len(pushes), f.Receipts, f.RollupDiffs)
	fmt.Printf("server log: %d error lines, %d \"database is locked\"\n", f.ErrorLines, f.Locked)
	for _, l := range srv.Logs.FirstErrors() {
		fmt.Println("  ", l)
	}
	if f.Stored != int64(len(pushes)) || f.RollupDiffs != 0 {
		return fmt.Errorf("stored %d of %d reports, %d rollup rows differ", f.Stored, len(pushes), f.RollupDiffs)
	}
	return writeJSON(jsonPath, f)
}

// enrollOutlets registers outlets B00001... and enrolls a fresh key for
// each through the service (AddOutlet, then Enroll with the one-time
// code), 8 at a time. The HTTP enrollment route is rate limited per IP.
func enrollOutlets(srv *branchServer, n int) ([]benchOutlet, error) {
	ctx := context.Background()
	svc := srv.Branch.Svc
	out := make([]benchOutlet, n)
	var next atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				code := fmt.Sprintf("B%05d", i+1)
				pub, priv, _ := ed25519.GenerateKey(rand.Reader)
				ec, err := svc.AddOutlet(ctx, code, "网点 "+code, fmt.Sprintf("支行 %d", i%50), 0)
				if err == nil {
					_, err = svc.Enroll(ctx, ec.Code, pub, "Asia/Shanghai")
				}
				if err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				out[i] = benchOutlet{code: code, key: priv, seed: i + 1}
			}
		}()
	}
	wg.Wait()
	return out, firstErr
}

type benchOutlet struct {
	code string
	key  ed25519.PrivateKey
	seed int
}

// signedPush is one ready POST /api/v1/reports.
type signedPush struct {
	url, outlet, sig string
	body             []byte
}

// signedPushes builds and signs each outlet's report of each of the days
// days before today, day after day across every outlet, as a night of
// final reports arrives. It returns them and their total body size.
func signedPushes(base string, outlets []benchOutlet, days int, today string) ([]signedPush, int) {
	now := time.Now()
	out := make([]signedPush, 0, len(outlets)*days)
	size := 0
	for d := days; d >= 1; d-- {
		day := models.AddDays(today, -d)
		for _, o := range outlets {
			body, err := json.Marshal(branchseed.Report(o.code, day, 1, o.seed))
			if err != nil {
				panic(err)
			}
			size += len(body)
			out = append(out, signedPush{url: base + "/api/v1/reports", outlet: o.code,
				sig: signing.Sign(o.key, now, body), body: body})
		}
	}
	return out, size
}

// pushAll sends every push once from clients closed-loop workers.
func pushAll(c *http.Client, pushes []signedPush, clients int) *phase {
	p := newPhase()
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(pushes); i = int(next.Add(1)) - 1 {
				t0 := time.Now()
				status, err := push(c, pushes[i])
				p.add(time.Since(t0), status, err)
			}
		}()
	}
	wg.Wait()
	p.finish(time.Since(start))
	return p
}

func push(c *http.Client, sp signedPush) (int, error) {
	req, err := http.NewRequest(http.MethodPost, sp.url, bytes.NewReader(sp.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signing.OutletHeader, sp.outlet)
	req.Header.Set(signing.SignatureHeader, sp.sig)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK && !bytes.Contains(body, []byte(`"status":"accepted"`)) {
		return 299, err // 2xx, but not stored: shows in the table
	}
	return resp.StatusCode, err
}

// verifyIngest counts what was stored and compares every month and day
// rollup row with the sums of the stored reports (both ways: EXCEPT of
// each side).
func verifyIngest(g *gorm.DB, f *ingestFigures) error {
	if err := g.Raw(`SELECT COUNT(*) FROM reports`).Scan(&f.Stored).Error; err != nil {
		return err
	}
	if err := g.Raw(`SELECT COUNT(*) FROM report_receipts`).Scan(&f.Receipts).Error; err != nil {
		return err
	}
	const rollup = `SELECT month, outlet, days, checkins, visitors, live, poster, assisted, feedback_received,
		feedback_resolved, activities, activity_participants, last_day, last_received_at FROM month_outlets`
	const sums = `SELECT substr(day, 1, 7), outlet, COUNT(*), SUM(checkins), SUM(visitors), SUM(live), SUM(poster),
		SUM(assisted), SUM(feedback_received), SUM(feedback_resolved), SUM(activities), SUM(activity_participants),
		MAX(day), MAX(received_at) FROM reports GROUP BY substr(day, 1, 7), outlet`
	const dayRollup = `SELECT day, reports, checkins, visitors FROM day_totals`
	const daySums = `SELECT day, COUNT(*), SUM(checkins), SUM(visitors) FROM reports GROUP BY day`
	const dayAmenRollup = `SELECT day, amenity, checkins, visitors FROM day_amenities WHERE checkins <> 0 OR visitors <> 0`
	const dayAmenSums = `SELECT day, amenity, SUM(checkins), SUM(visitors) FROM report_amenities GROUP BY day, amenity
		HAVING SUM(checkins) <> 0 OR SUM(visitors) <> 0`
	const dayCatRollup = `SELECT day, category, checkins FROM day_categories WHERE checkins <> 0`
	const dayCatSums = `SELECT day, category, SUM(checkins) FROM report_categories GROUP BY day, category HAVING SUM(checkins) <> 0`
	for _, pair := range [][2]string{{rollup, sums}, {dayRollup, daySums}, {dayAmenRollup, dayAmenSums}, {dayCatRollup, dayCatSums}} {
		for _, q := range []string{pair[0] + ` EXCEPT ` + pair[1], pair[1] + ` EXCEPT ` + pair[0]} {
			var n int64
			if err := g.Raw(`SELECT COUNT(*) FROM (` + q + `) x`).Scan(&n).Error; err != nil {
				return err
			}
			f.RollupDiffs += n
		}
	}
	return nil
}
