package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch/branchseed"
	"harbor/app/branch/scoring"
	"harbor/config"
	"harbor/models"
)

// quarterNet is a seeded network of 33 outlets over 2026's fourth
// quarter, pushing each day's report just after the day through the
// branch's API, with the clock finally at 2027-01-05 (the quarter over and
// closed):
//   - SY001-SY020 are 城区 outlets, SY021-SY033 郊县;
//   - SY003 sends SY002's figures (the same seed): they tie;
//   - SY010 sends nothing on the 5th to the 7th of each month;
//   - SY015 sends every fourth day three days late;
//   - SY020 inflates its figures by script from 10 November (flagged);
//   - SY099 is registered but never enrolled: not scored.
type quarterNet struct {
	b       *apptest.Branch
	clock   *apptest.Clock
	outlets map[string]apptest.TestOutlet
	// reports holds the current report of each outlet and day, pushed
	// when pushedAt says (by "CODE DAY").
	reports  map[string]models.Report
	pushedAt map[string]time.Time
	groups   map[string]string
}

func seedQuarter(t *testing.T, cfg config.Branch) *quarterNet {
	t.Helper()
	n := seedNetwork(t, cfg, 33, "2026-12-31")
	n.clock.Set(time.Date(2027, 1, 5, 10, 0, 0, 0, apptest.Shanghai))
	return n
}

// seedNetwork seeds outlets outlets (at most 33) from 1 October to last, as
// described at quarterNet, and leaves the clock at the last push.
func seedNetwork(t *testing.T, cfg config.Branch, outlets int, last string) *quarterNet {
	t.Helper()
	clock := apptest.NewClock(time.Date(2026, 10, 1, 8, 0, 0, 0, apptest.Shanghai))
	n := &quarterNet{b: apptest.NewBranchAt(t, cfg, clock), clock: clock, outlets: map[string]apptest.TestOutlet{},
		reports: map[string]models.Report{}, pushedAt: map[string]time.Time{}, groups: map[string]string{}}
	var codes []string
	for i := 1; i <= outlets; i++ {
		codes = append(codes, fmt.Sprintf("SY%03d", i))
	}
	for i, o := range n.b.EnrollMany(codes...) {
		n.outlets[o.Code] = o
		n.groups[o.Code] = "城区"
		if i >= 20 {
			n.groups[o.Code] = "郊县"
		}
		if err := n.b.Svc.DB().Write.Exec(`UPDATE outlets SET grp = ? WHERE code = ?`, n.groups[o.Code], o.Code).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := n.b.Svc.AddOutlet(context.Background(), "SY099", "未接入网点", "郊县", 0); err != nil {
		t.Fatal(err)
	}
	late := map[string][]models.Report{} // by the day they are pushed on
	for day := "2026-10-01"; day <= last; day = models.AddDays(day, 1) {
		var batch []models.Report
		dom := day[8:]
		for i, code := range codes {
			seed := i + 1
			if code == "SY003" {
				seed = 2
			}
			if code == "SY010" && dom >= "05" && dom <= "07" {
				continue
			}
			r := branchseed.Report(code, day, 1, seed)
			if code == "SY020" && day >= "2026-11-10" {
				r = branchseed.Inflated(r, 240)
			}
			if code == "SY015" && (dom == "04" || dom == "08" || dom == "12" || dom == "16" || dom == "20" || dom == "24" || dom == "28") {
				late[models.AddDays(day, 3)] = append(late[models.AddDays(day, 3)], r)
				continue
			}
			batch = append(batch, r)
		}
		n.pushAt(t, n.after(day), append(batch, late[models.AddDays(day, 1)]...))
	}
	for day := models.AddDays(last, 2); day <= models.AddDays(last, 3); day = models.AddDays(day, 1) {
		n.pushAt(t, n.after(models.AddDays(day, -1)), late[day])
	}
	return n
}

// after is half past midnight after day, Shanghai time.
func (n *quarterNet) after(day string) time.Time {
	d, _ := time.ParseInLocation(models.DayLayout, models.AddDays(day, 1), apptest.Shanghai)
	return d.Add(30 * time.Minute)
}

// pushAt sets the clock to at and pushes reports concurrently, as outlets
// do, so that the branch stores them in batches.
func (n *quarterNet) pushAt(t *testing.T, at time.Time, reports []models.Report) {
	t.Helper()
	n.clock.Set(at)
	var wg sync.WaitGroup
	problems := make(chan string, len(reports))
	for _, r := range reports {
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		req := n.outlets[r.Outlet].SignedPush(body, at)
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := n.b.HTTP.Test(req, -1)
			if err != nil {
				problems <- err.Error()
				return
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				text, _ := io.ReadAll(resp.Body)
				problems <- fmt.Sprintf("push %s %s r%d: %d %s", r.Outlet, r.Day, r.Revision, resp.StatusCode, text)
			}
		}()
		n.reports[r.Outlet+" "+r.Day] = r
		n.pushedAt[r.Outlet+" "+r.Day] = at
	}
	wg.Wait()
	close(problems)
	for p := range problems {
		t.Fatal(p)
	}
}

// Schemes the tests save: v1 from October, weighing every measure, with
// 郊县 targets of their own, shared in proportion; v2 from December, in
// tiers, the quarter weighted by days due.
func schemeV1() scoring.Scheme {
	return scoring.Scheme{EffectiveFrom: "2026-10", Name: "2026 年四季度方案", Measures: []scoring.Measure{
		{Code: scoring.CheckInsPerHour, Weight: 25, Target: 1800, Groups: map[string]scoring.Centi{"郊县": 1200}},
		{Code: scoring.VisitorsPerDay, Weight: 15, Target: 18000},
		{Code: scoring.Coverage, Weight: 10, Target: 9500},
		{Code: scoring.Activities, Weight: 10, Target: 800, Groups: map[string]scoring.Centi{"郊县": 600}},
		{Code: scoring.Participants, Weight: 10, Target: 20000},
		{Code: scoring.FeedbackInTime, Weight: 15, Target: 9000},
		{Code: scoring.Reporting, Weight: 15, Target: 10000},
	}, FlagPoints: 4, FlagCap: 10, FeedbackDays: 3, QuarterRule: scoring.QuarterMean,
		Fund: scoring.Fund{PerOutletFen: 100_000, Rule: scoring.RuleProportional}}
}

func schemeV2() scoring.Scheme {
	s := schemeV1()
	s.EffectiveFrom, s.Name = "2026-12", "2026 年 12 月起"
	s.Measures = []scoring.Measure{
		{Code: scoring.CheckInsPerHour, Weight: 40, Target: 1500},
		{Code: scoring.FeedbackInTime, Weight: 30, Target: 8000},
		{Code: scoring.Reporting, Weight: 30, Target: 10000},
	}
	s.QuarterRule = scoring.QuarterWeighted
	s.Fund = scoring.Fund{PerOutletFen: 120_000, Rule: scoring.RuleTiers, TierStepFen: 30_000}
	return s
}
