package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"harbor/app/outlet"
	"harbor/config"
	"harbor/models"
)

// rollupFigures is what the rollup scenario measured.
type rollupFigures struct {
	Machine    machine   `json:"machine"`
	Day        string    `json:"day"`
	CheckIns   int       `json:"checkins"` // check-in rows stored
	People     int       `json:"people"`   // the report's check-ins: assisted groups count each person
	Visitors   int       `json:"visitors"`
	SeedSec    float64   `json:"seed_seconds"`
	DBBytes    int64     `json:"db_bytes"`
	BuildMs    []float64 `json:"build_report_ms"`
	BuildMed   float64   `json:"build_report_median_ms"`
	RecountMs  []float64 `json:"recount_ms,omitempty"`
	RecountMed float64   `json:"recount_median_ms,omitempty"`
	Identical  bool      `json:"identical"` // BuildReport equals RecountReport
}

func runRollup(args []string) error {
	var jsonPath, keep string
	fs := newFlags("rollup", &jsonPath)
	n := fs.Int("checkins", 1_000_000, "check-ins to seed into the day")
	pool := fs.Int("visitors", 300_000, "distinct visitor ids the check-ins are drawn from")
	runs := fs.Int("runs", 9, "BuildReport runs (the median is quoted)")
	recount := fs.Int("recount-runs", 3, "RecountReport runs, counting from the rows (0: skip)")
	fs.StringVar(&keep, "keep", "", "seed into this data folder and keep it (default: a temporary one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	day := "2026-11-25"
	dir := keep
	if dir == "" {
		tmp, err := os.MkdirTemp("", "harbor-rollup-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	cfg := config.OutletDefaults()
	cfg.DataDir, cfg.BaseURL = dir, "http://127.0.0.1"
	cfg.TimeZone = config.DefaultTimeZone // the clock below starts in it
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx := context.Background()
	clock := &dayClock{start: time.Date(2026, 11, 25, 0, 0, 0, 0, cfg.Location), step: 24 * time.Hour / time.Duration(3*(*n)+1)}
	svc, err := outlet.Open(ctx, cfg, clock.now)
	if err != nil {
		return err
	}
	defer svc.Close()
	f := rollupFigures{Machine: thisMachine(), Day: day}
	fmt.Println("machine:", f.Machine)

	start := time.Now()
	stored, err := seedDay(ctx, svc, clock, *n, *pool)
	if err != nil {
		return err
	}
	f.SeedSec, f.CheckIns = time.Since(start).Seconds(), int(stored)
	if st, err := os.Stat(filepath.Join(dir, outlet.DBFile)); err == nil {
		f.DBBytes = st.Size()
	}
	fmt.Printf("seeded %d check-ins through RecordCheckIn/RecordAssisted in %.1f s (%.0f/s)\n",
		f.CheckIns, f.SeedSec, float64(f.CheckIns)/f.SeedSec)

	var fast, slow models.Report
	if f.BuildMs, fast, err = timeReport(*runs, func() (models.Report, error) { return svc.BuildReport(ctx, day) }); err != nil {
		return err
	}
	f.BuildMed, f.Visitors, f.People = median(f.BuildMs), fast.Totals.Visitors, fast.Totals.CheckIns
	if *recount > 0 {
		if f.RecountMs, slow, err = timeReport(*recount, func() (models.Report, error) { return svc.RecountReport(ctx, day) }); err != nil {
			return err
		}
		f.RecountMed = median(f.RecountMs)
		a, _ := json.Marshal(fast)
		b, _ := json.Marshal(slow)
		f.Identical = string(a) == string(b)
	}
	fmt.Printf("day %s: %d check-ins (%d people), %d unique visitors, %d amenities; database %.0f MB\n",
		day, f.CheckIns, f.People, f.Visitors, len(fast.Amenities), float64(f.DBBytes)/1e6)
	fmt.Printf("BuildReport (day_counts): median %.2f ms of %d runs %v (target ≤ 300 ms)\n", f.BuildMed, len(f.BuildMs), f.BuildMs)
	if *recount > 0 {
		fmt.Printf("RecountReport (rows):     median %.0f ms of %d runs %v; same figures: %v\n",
			f.RecountMed, len(f.RecountMs), f.RecountMs, f.Identical)
	}
	return writeJSON(jsonPath, f)
}

// timeReport runs build runs times and returns each duration in ms and
// the last report.
func timeReport(runs int, build func() (models.Report, error)) ([]float64, models.Report, error) {
	var out []float64
	var r models.Report
	for i := 0; i < runs; i++ {
		t0 := time.Now()
		var err error
		if r, err = build(); err != nil {
			return nil, r, err
		}
		out = append(out, float64(time.Since(t0).Microseconds())/1000)
	}
	return out, r, nil
}
