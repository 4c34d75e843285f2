package branch_test

import (
	"context"
	"encoding/json"
	"os"
	"sort"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/branch/branchseed"
)

// ScaleEnv turns on TestScaleOnPostgres, which seeds a national network
// (14,000 outlets, a year of reports) into PostgreSQL and times the
// overview and the assessment. It takes minutes and gigabytes.
const ScaleEnv = "HARBOR_SCALE_TEST"

// scaleNetwork is the national network: every outlet reports every day of
// the year; per-amenity and per-category rows cover the last two months
// (the overview reads the day and the month; older months are read from
// the rollups, which cover the whole year). See branchseed.Network.
var scaleNetwork = branchseed.Network{Outlets: 14000, From: "2025-11-26", To: "2026-11-25", ChildFrom: "2026-09-25"}

func TestScaleOnPostgres(t *testing.T) {
	if os.Getenv(ScaleEnv) == "" {
		apptest.Skip(t, "scale tests (14,000 outlets, a year of reports)", "set "+ScaleEnv+"=1 and "+apptest.PostgresEnv)
	}
	cfg := apptest.BranchConfigPostgres(t)
	b := apptest.NewBranch(t, cfg) // clock: 2026-11-25 10:00 Shanghai
	start := time.Now()
	seed, err := scaleNetwork.Statements("postgres")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range seed {
		if err := b.Svc.DB().Write.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		t.Logf("seeded in %s: %.60s", time.Since(start).Round(time.Second), q)
	}
	for _, table := range []string{"reports", "report_amenities", "report_categories", "month_outlets", "outlets", "report_receipts", "outlet_profiles", "day_totals", "day_amenities", "day_categories"} {
		if err := b.Svc.DB().Write.Exec(`VACUUM ANALYZE ` + table).Error; err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("seeded and vacuumed in %s", time.Since(start).Round(time.Second))
	ctx := context.Background()
	month, _ := branch.MonthPeriod("2026-10")
	quarter, _ := branch.QuarterPeriod("2026Q3")
	mtd, _ := branch.RangePeriod("2026-11-01", "2026-11-24")
	for name, run := range map[string]func() (any, error){
		"overview 2026-11-24 (+ month to date)": func() (any, error) { return b.Svc.Overview(ctx, "2026-11-24") },
		"overview 2026-11-15 (mid-month)":       func() (any, error) { return b.Svc.Overview(ctx, "2026-11-15") },
		"assessment 2026-10":                    func() (any, error) { return b.Svc.Assessment(ctx, month) },
		"assessment 2026Q3":                     func() (any, error) { return b.Svc.Assessment(ctx, quarter) },
		"activities month to date":              func() (any, error) { return b.Svc.Activities(ctx, mtd) },
	} {
		var times []time.Duration
		var size int
		for i := 0; i < 5; i++ {
			t0 := time.Now()
			v, err := run()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			times = append(times, time.Since(t0))
			if i == 0 {
				body, _ := json.Marshal(v)
				size = len(body)
			}
		}
		sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
		t.Logf("%-40s median %6s  min %6s  max %6s  (JSON %d KB)", name, times[2].Round(time.Millisecond),
			times[0].Round(time.Millisecond), times[4].Round(time.Millisecond), size>>10)
	}
}
