package scoring

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"harbor/models"
)

// testScheme weighs three measures; FlagCap is not a multiple of
// FlagPoints, so the cap shows.
func testScheme() Scheme {
	return Scheme{Measures: []Measure{
		{Code: Coverage, Weight: 30, Target: 9000},
		{Code: CheckInsPerHour, Weight: 40, Target: 1000},
		{Code: FeedbackInTime, Weight: 30, Target: 10000},
	}, FlagPoints: 5, FlagCap: 8}
}

// TestScoreByHand checks scores worked out on paper.
func TestScoreByHand(t *testing.T) {
	s := testScheme()
	// A: 700 check-ins in 100 opening hours is 7 an hour of a target of
	// 10: 28 of 40 points; 95 % of the hours served is above the 90 %
	// target: 30; no feedback due: 30. 88, less 2 flags × 5 capped at 8.
	a := s.Score("", Figures{HoursCheckIns: 700, OpenMinutes: 6000, UpMinutes: 5700, Flags: 2})
	if got := pointsOf(a); got != "checkins_per_hour 7.00 28.00|coverage 95.00 30.00|feedback_on_time - 30.00 none_due" ||
		a.Gross != 8800 || a.Deduction != 800 || a.Score != 8000 {
		t.Errorf("A: %s, gross %v, deduction %v, score %v", got, a.Gross, a.Deduction, a.Score)
	}
	// B: 13.33 an hour is above target: 40; 2/3 of the hours served is
	// 30 × 66.67 / 90 = 22.22; two of three pieces of feedback in time:
	// 30 × 2/3 = 20. 82.22, no flags.
	b := s.Score("", Figures{HoursCheckIns: 1000, OpenMinutes: 4500, UpMinutes: 3000, FeedbackDue: 3, FeedbackOnTime: 2})
	if got := pointsOf(b); got != "checkins_per_hour 13.33 40.00|coverage 66.67 22.22|feedback_on_time 66.67 20.00" || b.Score != 8222 {
		t.Errorf("B: %s, score %v", got, b.Score)
	}
	// Opening hours unknown: no points for the per-hour and coverage measures.
	c := s.Score("", Figures{CheckIns: 500, FeedbackDue: 1, FeedbackOnTime: 1})
	if got := pointsOf(c); got != "checkins_per_hour - 0.00 unknown|coverage - 0.00 unknown|feedback_on_time 100.00 30.00" || c.Score != 3000 {
		t.Errorf("C: %s, score %v", got, c.Score)
	}
	// Half a hundredth rounds up: one activity of a target of 8 is
	// 25 / 8 = 3.125 points, 3.13. A group's own target applies.
	g := Scheme{Measures: []Measure{{Code: Activities, Weight: 25, Target: 800},
		{Code: Participants, Weight: 75, Target: 10000, Groups: map[string]Centi{"郊县": 5000}}}}
	if r := g.Score("城区", Figures{Activities: 1, Participants: 40}); r.Score != 313+3000 {
		t.Errorf("城区: %s = %v, want 3.13 + 30.00", pointsOf(r), r.Score)
	}
	if r := g.Score("郊县", Figures{Activities: 1, Participants: 40}); r.Score != 313+6000 {
		t.Errorf("郊县: %s = %v, want 3.13 + 60.00", pointsOf(r), r.Score)
	}
	// Deductions never take a score below 0.
	if r := s.Score("", Figures{Flags: 100}); r.Score != 3000-800 {
		t.Errorf("flags: %v", r.Score)
	}
	s.FlagCap = 100
	if r := s.Score("", Figures{Flags: 100}); r.Score != 0 || r.Deduction != 10000 {
		t.Errorf("deduction past the score: %v, %v", r.Score, r.Deduction)
	}
}

func pointsOf(r Result) string {
	var parts []string
	for _, p := range r.Points {
		actual := "-"
		if p.Actual != nil {
			actual = p.Actual.String()
		}
		parts = append(parts, strings.TrimSpace(p.Measure+" "+actual+" "+p.Points.String()+" "+p.Note))
	}
	return strings.Join(parts, "|")
}

func TestRanksShareTies(t *testing.T) {
	for _, c := range []struct {
		scores []Centi
		want   []int
	}{
		{[]Centi{9000, 8500, 8500, 7000}, []int{1, 2, 2, 4}},
		{[]Centi{500, 500, 500}, []int{1, 1, 1}},
		{[]Centi{3, 2, 1, 1, 1, 0}, []int{1, 2, 3, 3, 3, 6}},
		{nil, []int{}},
	} {
		if got := Ranks(c.scores); !slices.Equal(got, c.want) {
			t.Errorf("Ranks(%v) = %v, want %v", c.scores, got, c.want)
		}
	}
}

// TestAllocateByHand checks both rules on amounts worked out on paper.
func TestAllocateByHand(t *testing.T) {
	// 10.00 yuan each for 3 outlets of scores 87.35, 82.22 and 70.00:
	// exact shares of 3,000 fen 1093.83, 1029.59 and 876.57; 2,998 whole
	// fen, the two left to the largest remainders (.83 and .59).
	f := Fund{PerOutletFen: 1000, Rule: RuleProportional}
	got := f.Allocate([]Centi{8735, 8222, 7000}, []int{1, 2, 3})
	if want := []int64{1094, 1030, 876}; !slices.Equal(got, want) {
		t.Errorf("proportional: %v, want %v", got, want)
	}
	// Of 1,000 fen: 364.61, 343.20, 292.19; the one fen left to .61.
	if got := LargestRemainder(1000, []int64{8735, 8222, 7000}); !slices.Equal(got, []int64{365, 343, 292}) {
		t.Errorf("largest remainder: %v", got)
	}
	// Equal remainders go in the order given: 100 fen in three.
	if got := LargestRemainder(100, []int64{1, 1, 1}); !slices.Equal(got, []int64{34, 33, 33}) {
		t.Errorf("equal remainders: %v", got)
	}
	// All scores 0: shared equally.
	if got := f.Allocate([]Centi{0, 0}, []int{1, 1}); !slices.Equal(got, []int64{1000, 1000}) {
		t.Errorf("all zero: %v", got)
	}
	// Tiers of 7 outlets: k = 2, so ranks 1 and 2 (three outlets, a tie)
	// are the top tier and ranks 6 and 7 the bottom. The bottom gives 100
	// fen each; 200 fen shared by three is 67, 67, 66.
	tiers := Fund{PerOutletFen: 1000, Rule: RuleTiers, TierStepFen: 100}
	got = tiers.Allocate(make([]Centi, 7), []int{1, 2, 2, 4, 5, 6, 7})
	if want := []int64{1067, 1067, 1066, 1000, 1000, 900, 900}; !slices.Equal(got, want) {
		t.Errorf("tiers: %v, want %v", got, want)
	}
	// Fewer than three outlets, or everyone tied: no tiers.
	if got := tiers.Allocate(make([]Centi, 2), []int{1, 2}); !slices.Equal(got, []int64{1000, 1000}) {
		t.Errorf("two outlets: %v", got)
	}
	if got := tiers.Allocate(make([]Centi, 4), []int{1, 1, 1, 1}); !slices.Equal(got, []int64{1000, 1000, 1000, 1000}) {
		t.Errorf("all tied: %v", got)
	}
}

// TestAllocationAddsUp is the property that matters to finance: for any
// scores and fund, under either rule, the amounts add up to exactly the
// total, none is negative, a better score never gets less (proportional),
// and no amount is a fen or more from its exact share.
func TestAllocationAddsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2026))
	for range 3000 {
		n := 1 + rng.IntN(80)
		scores := make([]Centi, n)
		for i := range scores {
			scores[i] = Centi(rng.IntN(10001))
			if rng.IntN(4) == 0 && i > 0 {
				scores[i] = scores[i-1] // ties
			}
		}
		slices.SortFunc(scores, func(a, b Centi) int { return int(b - a) })
		ranks := Ranks(scores)
		fund := Fund{PerOutletFen: rng.Int64N(MaxFundPerOutletFen + 1), Rule: RuleProportional}
		if rng.IntN(2) == 0 {
			fund.Rule, fund.TierStepFen = RuleTiers, rng.Int64N(fund.PerOutletFen+1)
		}
		amounts := fund.Allocate(scores, ranks)
		var sum, scoreSum int64
		for i, a := range amounts {
			sum += a
			scoreSum += int64(scores[i])
			if a < 0 {
				t.Fatalf("%+v: a negative amount %d", fund, a)
			}
		}
		if sum != fund.Total(n) {
			t.Fatalf("%+v over %d outlets: amounts add up to %d, not %d", fund, n, sum, fund.Total(n))
		}
		if fund.Rule != RuleProportional || scoreSum == 0 {
			continue
		}
		for i, a := range amounts {
			if i > 0 && scores[i] < scores[i-1] && a > amounts[i-1] {
				t.Fatalf("a lower score got more: %v → %v", scores[i-1:i+1], amounts[i-1:i+1])
			}
			exact := new(big.Rat).SetFrac(big.NewInt(fund.Total(n)*int64(scores[i])), big.NewInt(scoreSum))
			diff := new(big.Rat).Sub(exact, new(big.Rat).SetInt64(a))
			if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
				t.Fatalf("amount %d is a fen or more from its share %s", a, exact.FloatString(3))
			}
		}
	}
}

// TestFeedbackFirstInFirstOut checks the in-time rule on days worked out
// on paper (within 3 days, through the 30th).
func TestFeedbackFirstInFirstOut(t *testing.T) {
	days := []FeedbackDay{
		{Day: "2026-11-01", Received: 2, Open: 2},
		{Day: "2026-11-03", Received: 1, Resolved: 1, Open: 2}, // one of the 1st's, after 2 days: in time
		{Day: "2026-11-10", Resolved: 2},                       // the 1st's (9 days) and the 3rd's (7): late
		{Day: "2026-11-25", Received: 1, Open: 1},
		{Day: "2026-11-28", Received: 4, Resolved: 1, Open: 4}, // the 25th's first, after 3 days: in time
	}
	// The 28th's four are open at the end but not due before 1 December.
	if due, on := FeedbackOnTime(days, 3, "2026-11-30"); due != 4 || on != 2 {
		t.Errorf("due %d, in time %d; want 4 and 2", due, on)
	}
	// Through 1 December they are due and late.
	if due, on := FeedbackOnTime(days, 3, "2026-12-01"); due != 8 || on != 2 {
		t.Errorf("through the 1st: due %d, in time %d; want 8 and 2", due, on)
	}
	// A backlog from before the period is resolved first and never judged:
	// on the 1st, 3 open at the end after 1 received and 2 resolved means
	// 4 were open before.
	backlog := []FeedbackDay{{Day: "2026-11-01", Received: 1, Resolved: 2, Open: 3}, {Day: "2026-11-02", Resolved: 3}}
	if due, on := FeedbackOnTime(backlog, 3, "2026-11-30"); due != 1 || on != 1 {
		t.Errorf("backlog: due %d, in time %d; want 1 and 1", due, on)
	}
}

func TestQuarterScore(t *testing.T) {
	if got := QuarterScore(QuarterMean, []Centi{8000, 9000, 8501}, []int64{31, 30, 31}); got != 8500 {
		t.Errorf("mean: %v", got) // 25501 / 3 = 8500.33
	}
	// Weighted by days due: (8000×10 + 9000×30) / 40 = 8750.
	if got := QuarterScore(QuarterWeighted, []Centi{8000, 9000}, []int64{10, 30}); got != 8750 {
		t.Errorf("weighted: %v", got)
	}
	if got := QuarterScore(QuarterWeighted, []Centi{8000}, []int64{0}); got != 0 {
		t.Errorf("no days: %v", got)
	}
}

// TestSchemeValidation: every bad input gets an invalid error naming what
// is wrong; the default scheme is valid.
func TestSchemeValidation(t *testing.T) {
	if err := DefaultScheme().Validate(); err != nil {
		t.Fatalf("the default scheme: %v", err)
	}
	for _, c := range []struct {
		change func(*Scheme)
		want   string
	}{
		{func(s *Scheme) { s.Measures[0].Weight -= 10 }, "weights add up to 90"},
		{func(s *Scheme) { s.Fund.PerOutletFen = -100 }, "cannot be negative"},
		{func(s *Scheme) { s.Measures[1].Target = 0 }, "must be above 0"},
		{func(s *Scheme) { s.Measures[2].Groups = map[string]Centi{"郊县": 0} }, "（郊县） must be above 0"},
		{func(s *Scheme) { s.Measures[2].Target = 12000 }, "a percentage"},
		{func(s *Scheme) { s.EffectiveFrom = "2026-13" }, "want YYYY-MM"},
		{func(s *Scheme) { s.Fund.Rule = "lottery" }, "allocation rule"},
		{func(s *Scheme) { s.Fund.Rule, s.Fund.TierStepFen = RuleTiers, s.Fund.PerOutletFen+1 }, "tier step"},
		{func(s *Scheme) { s.Measures = append(s.Measures, s.Measures[0]) }, "listed twice"},
		{func(s *Scheme) { s.FeedbackDays = 0 }, "feedback must be due"},
		{func(s *Scheme) { s.Name = "a\x07b" }, "control characters"},
	} {
		s := DefaultScheme()
		s.Measures = slices.Clone(s.Measures)
		c.change(&s)
		err := s.Validate()
		if models.ErrorCode(err) != models.EINVALID || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want an invalid error with %q, got %v", c.want, err)
		}
	}
}

func TestSchemeForm(t *testing.T) {
	form := SchemeForm{EffectiveFrom: "2026-12", Name: "2027 方案", FlagPoints: "5", FlagCap: "20", FeedbackDays: "3",
		QuarterRule: QuarterMean, Rule: RuleTiers, FundYuan: "1,000", StepYuan: "200.5",
		Weights:      map[string]string{Coverage: "40", Reporting: "60", Activities: "0"},
		Targets:      map[string]string{Coverage: "95", Reporting: "100", Activities: "junk"},
		GroupTargets: map[string]string{Coverage: "郊县：90；城区=97.5"}}
	s, err := form.Scheme()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Measures) != 2 || s.Measures[0].Groups["郊县"] != 9000 || s.Measures[0].Groups["城区"] != 9750 ||
		s.Fund.PerOutletFen != 100000 || s.Fund.TierStepFen != 20050 {
		t.Fatalf("read: %+v", s)
	}
	form.Weights[Coverage] = "x"
	if _, err := form.Scheme(); err == nil || !strings.Contains(err.Error(), "whole number") {
		t.Errorf("a weight of x: %v", err)
	}
	form.Weights[Coverage], form.Targets[Coverage] = "40", "0.001"
	if _, err := form.Scheme(); err == nil || !strings.Contains(err.Error(), "at most two decimals") {
		t.Errorf("a target with three decimals: %v", err)
	}
	form.Targets[Coverage], form.FundYuan = "95", "-1"
	if _, err := form.Scheme(); err == nil || !strings.Contains(err.Error(), "cannot be negative") {
		t.Errorf("a negative fund: %v", err)
	}
}

func TestCentiAndYuan(t *testing.T) {
	for in, want := range map[string]Centi{"3": 300, "3.5": 350, "-1.25": -125, "1,000.00": 100000, " 0.07 ": 7} {
		if got, err := ParseCenti(in); err != nil || got != want {
			t.Errorf("ParseCenti(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "1.", ".5", "1.234", "1e3", "abc", "--1", "99999999999999"} {
		if _, err := ParseCenti(bad); err == nil {
			t.Errorf("ParseCenti(%q) accepted", bad)
		}
	}
	if Yuan(123456789) != "1,234,567.89" || Yuan(-5) != "-0.05" || Centi(350).Short() != "3.5" || Centi(-350).String() != "-3.50" {
		t.Error("formatting")
	}
	var c Centi
	if err := c.UnmarshalJSON([]byte("87.35")); err != nil || c != 8735 {
		t.Errorf("JSON: %v %v", c, err)
	}
}

func TestChangesInWords(t *testing.T) {
	old := DefaultScheme()
	new := DefaultScheme()
	new.Measures = slices.Clone(new.Measures)
	new.EffectiveFrom = "2026-12"
	new.Measures[0].Weight, new.Measures[1].Weight = 20, 20
	new.Measures[0].Groups = map[string]Centi{"郊县": 800}
	new.Fund.PerOutletFen = 120000
	got := strings.Join(Changes(old, new), "\n")
	for _, want := range []string{"生效月份 2020-01 → 2026-12", "「每开放小时服务人次」权重 25 → 20", "「日均独立访客」权重 15 → 20",
		"「每开放小时服务人次」分组目标 — → 郊县=8", "每网点每月基金（元） 1,000.00 → 1,200.00"} {
		if !strings.Contains(got, want) {
			t.Errorf("changes lack %q:\n%s", want, got)
		}
	}
	if len(Changes(old, old)) != 0 {
		t.Error("no change should list nothing")
	}
}

// TestFeedbackExactly checks the exact rule on an outlet that resolves
// newest first (within 3 days, through the 30th), worked out on paper,
// against first in, first out on the same counts.
func TestFeedbackExactly(t *testing.T) {
	days := []FeedbackDay{
		{Day: "2026-11-01", Received: 2, Open: 2},
		// the 5th's feedback at once; the 1st's wait
		{Day: "2026-11-05", Received: 1, Resolved: 1, Open: 2, Ages: []FeedbackAge{{0, 1}}},
		// the 10th's two at once, then one of the 1st's, 9 days old
		{Day: "2026-11-10", Received: 2, Resolved: 3, Open: 1, Ages: []FeedbackAge{{0, 2}, {9, 1}}},
		// one from before the period: the backlog, never judged
		{Day: "2026-11-12", Resolved: 1, Ages: []FeedbackAge{{20, 1}}},
	}
	// Resolved: the 5th's (0 days), the 10th's two (0), the 1st's one (9,
	// late); still open: one of the 1st's, late. Due 5, in time 3.
	due, on, rule := JudgeFeedback(days, 3, "2026-11-01", "2026-11-30")
	if due != 5 || on != 3 || rule != FeedbackExact {
		t.Errorf("exact: due %d, in time %d, rule %s; want 5, 3, exact", due, on, rule)
	}
	// First in, first out makes the same counts into other items: the 5th
	// resolves one of the 1st's (4 days, late); the 10th the other (9,
	// late), the 5th's (5, late) and one of its own (0); the 12th the
	// 10th's other (2, in time). Due 5, in time 2.
	if due, on := FeedbackOnTime(days, 3, "2026-11-30"); due != 5 || on != 2 {
		t.Errorf("fifo: due %d, in time %d; want 5, 2", due, on)
	}
	// One resolving day without ages makes the whole period FIFO.
	days[2].Ages = nil
	if due, on, rule := JudgeFeedback(days, 3, "2026-11-01", "2026-11-30"); due != 5 || on != 2 || rule != FeedbackFIFO {
		t.Errorf("without ages: due %d, in time %d, rule %s; want 5, 2, fifo", due, on, rule)
	}
	// A day without ages that resolved nothing does not matter; open
	// feedback is not due before its time is over.
	quiet := []FeedbackDay{{Day: "2026-11-28", Received: 3, Open: 3}, {Day: "2026-11-29", Resolved: 1, Open: 2, Ages: []FeedbackAge{{1, 1}}}}
	if due, on, rule := JudgeFeedback(quiet, 3, "2026-11-01", "2026-11-30"); due != 1 || on != 1 || rule != FeedbackExact {
		t.Errorf("quiet: due %d, in time %d, rule %s; want 1, 1, exact", due, on, rule)
	}
	if due, on, _ := JudgeFeedback(quiet, 3, "2026-11-01", "2026-12-01"); due != 3 || on != 1 {
		t.Errorf("quiet through the 1st: due %d, in time %d; want 3, 1", due, on)
	}
}

// TestFeedbackRuleOfAQuarter: a quarter is judged exactly only when each
// of its months was; one month first in, first out makes it so.
func TestFeedbackRuleOfAQuarter(t *testing.T) {
	for _, c := range []struct {
		months []string
		want   string
	}{
		{[]string{FeedbackExact, FeedbackExact, ""}, FeedbackExact},
		{[]string{FeedbackExact, FeedbackFIFO, FeedbackExact}, FeedbackFIFO},
		{[]string{"", FeedbackFIFO, FeedbackExact}, FeedbackFIFO},
		{[]string{"", ""}, ""},
	} {
		var q Figures
		for _, rule := range c.months {
			q.Add(Figures{FeedbackRule: rule})
		}
		if q.FeedbackRule != c.want {
			t.Errorf("months %v: %q, want %q", c.months, q.FeedbackRule, c.want)
		}
	}
}
