// Package scoring turns outlets' figures of a month into points, scores,
// ranks and incentive amounts, by a scheme the branch sets (按月通报、按季
// 考核). Everything here is a pure function over integers: points in
// hundredths (Centi), money in fen, rounding stated and exact.
package scoring

import (
	"fmt"
	"regexp"
	"sort"
	"unicode"
	"unicode/utf8"

	"harbor/models"
)

// MaxPoints is what the weights of a scheme's measures add up to.
const MaxPoints = 100

// Quarter rules: how a quarter's score comes from its months' scores.
const (
	QuarterMean     = "mean"          // the mean of the months' scores
	QuarterWeighted = "days_weighted" // weighted by each month's days due
)

// Allocation rules of the fund.
const (
	RuleProportional = "proportional" // in proportion to the scores
	RuleTiers        = "tiers"        // the bottom third gives a step, the top third shares it
)

// Bounds of a scheme's numbers.
const (
	MaxFundPerOutletFen = 100_000_000 // 1,000,000 yuan an outlet a month
	MaxTarget           = Centi(100_000_000)
	MaxGroups           = 100
	MaxFeedbackDays     = 90
)

// Scheme is how a month is scored and its fund shared. Schemes are
// versioned: a month is scored with the newest version whose
// EffectiveFrom is not after it.
type Scheme struct {
	Version       int    `json:"version"`        // 0 is the built-in default
	EffectiveFrom string `json:"effective_from"` // the first month it scores, YYYY-MM
	Name          string `json:"name"`
	// Measures give up to their weight in points each; the weights add up
	// to MaxPoints.
	Measures []Measure `json:"measures"`
	// FlagPoints are taken off per integrity flag of the month, at most
	// FlagCap in all.
	FlagPoints int `json:"flag_points"`
	FlagCap    int `json:"flag_cap"`
	// FeedbackDays: feedback counts as resolved in time when resolved
	// within this many days of being received.
	FeedbackDays int    `json:"feedback_days"`
	QuarterRule  string `json:"quarter_rule"`
	Fund         Fund   `json:"fund"`
}

// Measure is one weighted measure of a scheme. A value at or above the
// target gives the full weight in points; below it, the same share of the
// weight. Outlets of a group listed in Groups have that group's target.
type Measure struct {
	Code   string           `json:"code"`
	Weight int              `json:"weight"`
	Target Centi            `json:"target"`
	Groups map[string]Centi `json:"group_targets,omitempty"`
}

// Fund is the incentive fund: PerOutletFen for every scored outlet each
// month, shared by Rule. TierStepFen is, under RuleTiers, what each outlet
// of the bottom third gives up to the top third.
type Fund struct {
	PerOutletFen int64  `json:"per_outlet_fen"`
	Rule         string `json:"rule"`
	TierStepFen  int64  `json:"tier_step_fen,omitempty"`
}

// TargetFor is the measure's target for an outlet of group.
func (m Measure) TargetFor(group string) Centi {
	if t, ok := m.Groups[group]; ok {
		return t
	}
	return m.Target
}

// DefaultScheme scores a month until the branch saves a scheme of its
// own: version 0, in force from the start.
func DefaultScheme() Scheme {
	return Scheme{Version: 0, EffectiveFrom: "2020-01", Name: "默认方案 Default scheme",
		Measures: []Measure{
			{Code: CheckInsPerHour, Weight: 25, Target: 1500},
			{Code: VisitorsPerDay, Weight: 15, Target: 6000},
			{Code: Coverage, Weight: 15, Target: 9500},
			{Code: Activities, Weight: 10, Target: 200},
			{Code: Participants, Weight: 10, Target: 5000},
			{Code: FeedbackInTime, Weight: 10, Target: 10000},
			{Code: Reporting, Weight: 15, Target: 10000},
		},
		FlagPoints: 5, FlagCap: 20, FeedbackDays: 3, QuarterRule: QuarterMean,
		Fund: Fund{PerOutletFen: 100_000, Rule: RuleProportional}}
}

var monthPattern = regexp.MustCompile(`^\d{4}-(0[1-9]|1[0-2])$`)

// Validate checks a scheme before it is stored; the error names the field
// in Chinese and English.
func (s Scheme) Validate() error {
	bad := func(format string, args ...any) error { return models.Errorf(models.EINVALID, format, args...) }
	if !monthPattern.MatchString(s.EffectiveFrom) {
		return bad("生效月份 %q 应形如 2026-12 / effective month %q: want YYYY-MM", clip(s.EffectiveFrom), clip(s.EffectiveFrom))
	}
	if err := checkName("方案名称 scheme name", s.Name); err != nil {
		return err
	}
	if len(s.Measures) == 0 {
		return bad("请至少设置一项考核指标 / give at least one measure a weight")
	}
	seen, sum := map[string]bool{}, 0
	for _, m := range s.Measures {
		info, ok := MeasureNamed(m.Code)
		if !ok {
			return bad("没有考核指标 %q / no measure %q", clip(m.Code), clip(m.Code))
		}
		if seen[m.Code] {
			return bad("指标「%s」重复 / measure %s is listed twice", info.ZH, m.Code)
		}
		seen[m.Code] = true
		if m.Weight <= 0 || m.Weight > MaxPoints {
			return bad("指标「%s」的权重应为 1-%d / the weight of %s must be 1-%d", info.ZH, MaxPoints, info.EN, MaxPoints)
		}
		sum += m.Weight
		if err := checkTarget(info, "", m.Target); err != nil {
			return err
		}
		if len(m.Groups) > MaxGroups {
			return bad("指标「%s」最多设 %d 个分组目标 / at most %d group targets for %s", info.ZH, MaxGroups, MaxGroups, info.EN)
		}
		for g, t := range m.Groups {
			if err := checkName("分组名称 group name", g); err != nil {
				return err
			}
			if err := checkTarget(info, g, t); err != nil {
				return err
			}
		}
	}
	if sum != MaxPoints {
		return bad("各指标权重合计 %d，应为 %d / the weights add up to %d; they must add up to %d", sum, MaxPoints, sum, MaxPoints)
	}
	if s.FlagPoints < 0 || s.FlagPoints > MaxPoints || s.FlagCap < 0 || s.FlagCap > MaxPoints {
		return bad("核查提示扣分应为 0-%d 分 / flag deductions must be 0-%d points", MaxPoints, MaxPoints)
	}
	if s.FeedbackDays < 1 || s.FeedbackDays > MaxFeedbackDays {
		return bad("意见处理时限应为 1-%d 天 / feedback must be due within 1-%d days", MaxFeedbackDays, MaxFeedbackDays)
	}
	if s.QuarterRule != QuarterMean && s.QuarterRule != QuarterWeighted {
		return bad("季度规则 %q 未知 / quarter rule %q: want %s or %s", clip(s.QuarterRule), clip(s.QuarterRule), QuarterMean, QuarterWeighted)
	}
	return s.Fund.validate()
}

func (f Fund) validate() error {
	bad := func(format string, args ...any) error { return models.Errorf(models.EINVALID, format, args...) }
	if f.PerOutletFen < 0 {
		return bad("激励基金不能为负数 / the fund cannot be negative (%s yuan)", Yuan(f.PerOutletFen))
	}
	if f.PerOutletFen > MaxFundPerOutletFen {
		return bad("每网点每月基金最多 %s 元 / at most %s yuan an outlet a month", Yuan(MaxFundPerOutletFen), Yuan(MaxFundPerOutletFen))
	}
	switch f.Rule {
	case RuleProportional:
		if f.TierStepFen != 0 {
			return bad("按得分比例分配时不设档差 / a tier step only goes with the tiers rule")
		}
	case RuleTiers:
		if f.TierStepFen < 0 || f.TierStepFen > f.PerOutletFen {
			return bad("档差应在 0 到每网点基金之间 / the tier step must be between 0 and the fund per outlet")
		}
	default:
		return bad("分配规则 %q 未知 / allocation rule %q: want %s or %s", clip(f.Rule), clip(f.Rule), RuleProportional, RuleTiers)
	}
	return nil
}

func checkTarget(info MeasureInfo, group string, t Centi) error {
	where := ""
	if group != "" {
		where = "（" + group + "）"
	}
	switch {
	case t <= 0:
		return models.Errorf(models.EINVALID, "指标「%s」%s的目标应大于 0 / the target of %s%s must be above 0",
			info.ZH, where, info.EN, where)
	case info.Percent && t > 10000:
		return models.Errorf(models.EINVALID, "指标「%s」%s的目标是百分比，最多 100 / the target of %s%s is a percentage: at most 100",
			info.ZH, where, info.EN, where)
	case t > MaxTarget:
		return models.Errorf(models.EINVALID, "指标「%s」%s的目标过大 / the target of %s%s is too large", info.ZH, where, info.EN, where)
	}
	return nil
}

func checkName(what, s string) error {
	if n := utf8.RuneCountInString(s); n == 0 || n > 60 || !utf8.ValidString(s) {
		return models.Errorf(models.EINVALID, "%s：1-60 个字 / %s: 1-60 characters", what, what)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return models.Errorf(models.EINVALID, "%s不能含控制字符 / %s: no control characters", what, what)
		}
	}
	return nil
}

// Weighted returns the measures sorted in the order of Measures.
func (s Scheme) Weighted() []Measure {
	out := append([]Measure{}, s.Measures...)
	order := map[string]int{}
	for i, m := range Measures {
		order[m.Code] = i
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Code] < order[out[j].Code] })
	return out
}

// Label names a scheme version: "v3（2026-12 起）".
func (s Scheme) Label() string {
	return fmt.Sprintf("v%d（%s 起 from %s）", s.Version, s.EffectiveFrom, s.EffectiveFrom)
}
