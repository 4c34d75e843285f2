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
)

// ScaleEnv turns on TestScaleOnPostgres, which seeds a national network
// (14,000 outlets, a year of reports) into PostgreSQL and times the
// overview and the assessment. It takes minutes and gigabytes.
const ScaleEnv = "HARBOR_SCALE_TEST"

// scaleSeed builds the network in SQL: every outlet reports every day of
// the year, the final report arriving just after midnight; per-amenity and per-category rows cover the last childDays
// days (the overview reads the day and the month; older months are read
// from the rollups, which cover the whole year).
var scaleSeed = []string{
	`INSERT INTO outlets(code, name, grp, public_key, status, created_at, enrolled_at, last_contact_at)
		SELECT 'N' || lpad(i::text, 5, '0'), '网点' || i, '支行' || (i % 200), 'key' || i, 'active', 0, 0,
			1795600000000 FROM generate_series(1, 14000) i`,
	`INSERT INTO reports(outlet, day, revision, final, timezone, content_hash, body, generated_at, received_at,
			checkins, visitors, live, poster, assisted, feedback_received, feedback_resolved, feedback_open,
			activities, activity_participants)
		SELECT 'N' || lpad(i::text, 5, '0'), to_char(d, 'YYYY-MM-DD'), 1, TRUE, 'Asia/Shanghai', 'h', '{}', 'g',
			(extract(epoch FROM d) * 1000)::bigint + 86700000, 60 + (i * 7 + extract(doy FROM d)::int) % 80, 40, 30 + (i * 7 + extract(doy FROM d)::int) % 80,
			20, 10, i % 3, i % 2, i % 5, (i + extract(doy FROM d)::int) % 30 / 29, (i + extract(doy FROM d)::int) % 30 / 29 * 25
		FROM generate_series(1, 14000) i, generate_series(date '2025-11-26', date '2026-11-25', interval '1 day') d`,
	`INSERT INTO report_amenities(outlet, day, amenity, checkins, visitors)
		SELECT r.outlet, r.day, a.code, 10 + a.n, 8 FROM reports r,
			unnest(ARRAY['water','hot_water','tea','rest','phone_charging','ebike_charging','microwave','toilet']) WITH ORDINALITY a(code, n)
		WHERE r.day >= '2026-09-25'`,
	`INSERT INTO report_categories(outlet, day, category, checkins)
		SELECT r.outlet, r.day, c.code, 10 FROM reports r,
			unnest(ARRAY['sanitation','courier','delivery','unspecified']) c(code) WHERE r.day >= '2026-09-25'`,
	`INSERT INTO month_outlets(month, outlet, days, checkins, visitors, live, poster, assisted,
			feedback_received, feedback_resolved, activities, activity_participants, last_day, last_feedback_open, last_received_at)
		SELECT substr(day, 1, 7), outlet, COUNT(*), SUM(checkins), SUM(visitors), SUM(live), SUM(poster), SUM(assisted),
			SUM(feedback_received), SUM(feedback_resolved), SUM(activities), SUM(activity_participants), MAX(day), 0, MAX(received_at)
		FROM reports GROUP BY 1, 2`,
	`INSERT INTO month_amenities(month, outlet, amenity, checkins, visitors)
		SELECT substr(day, 1, 7), outlet, amenity, SUM(checkins), SUM(visitors) FROM report_amenities GROUP BY 1, 2, 3`,
	`INSERT INTO month_categories(month, outlet, category, checkins)
		SELECT substr(day, 1, 7), outlet, category, SUM(checkins) FROM report_categories GROUP BY 1, 2, 3`,
}

func TestScaleOnPostgres(t *testing.T) {
	if os.Getenv(ScaleEnv) == "" {
		t.Skipf("set %s=1 (and %s) to seed 14,000 outlets and a year of reports", ScaleEnv, apptest.PostgresEnv)
	}
	cfg := apptest.BranchConfigPostgres(t)
	b := apptest.NewBranch(t, cfg) // clock: 2026-11-25 10:00 Shanghai
	start := time.Now()
	for _, q := range scaleSeed {
		if err := b.Svc.DB().Write.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		t.Logf("seeded in %s: %.60s", time.Since(start).Round(time.Second), q)
	}
	for _, table := range []string{"reports", "report_amenities", "report_categories", "month_outlets", "month_amenities", "month_categories", "outlets"} {
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
