package scoring

import (
	"strconv"
	"strings"

	"harbor/models"
)

// SchemeForm is a scheme as typed in the console's editor: every number
// as text, money in yuan. Scheme reads and checks it.
type SchemeForm struct {
	EffectiveFrom, Name                   string
	Weights, Targets, GroupTargets        map[string]string // by measure code; a weight of 0 or "" leaves it out
	FlagPoints, FlagCap, FeedbackDays     string
	QuarterRule, Rule, FundYuan, StepYuan string
}

// Scheme reads the form into a scheme and validates it; the error names
// the field.
func (f SchemeForm) Scheme() (Scheme, error) {
	s := Scheme{EffectiveFrom: strings.TrimSpace(f.EffectiveFrom), Name: strings.TrimSpace(f.Name),
		QuarterRule: f.QuarterRule, Fund: Fund{Rule: f.Rule}}
	for _, info := range Measures {
		w, err := wholeNumber(info.ZH+" 权重 weight", f.Weights[info.Code])
		if err != nil {
			return s, err
		}
		if w == 0 {
			continue
		}
		m := Measure{Code: info.Code, Weight: w}
		if m.Target, err = ParseCenti(f.Targets[info.Code]); err != nil {
			return s, named(info.ZH+" 目标 target", err)
		}
		if m.Groups, err = ParseGroupTargets(f.GroupTargets[info.Code]); err != nil {
			return s, named(info.ZH+" 分组目标 group targets", err)
		}
		s.Measures = append(s.Measures, m)
	}
	var err error
	if s.FlagPoints, err = wholeNumber("每个提示扣分 points per flag", f.FlagPoints); err != nil {
		return s, err
	}
	if s.FlagCap, err = wholeNumber("最多扣分 most points off", f.FlagCap); err != nil {
		return s, err
	}
	if s.FeedbackDays, err = wholeNumber("意见处理时限 feedback days", f.FeedbackDays); err != nil {
		return s, err
	}
	fund, err := ParseCenti(f.FundYuan)
	if err != nil {
		return s, named("每网点每月基金 fund per outlet", err)
	}
	s.Fund.PerOutletFen = int64(fund)
	if s.Fund.Rule == RuleTiers {
		step, err := ParseCenti(f.StepYuan)
		if err != nil {
			return s, named("档差 tier step", err)
		}
		s.Fund.TierStepFen = int64(step)
	}
	return s, s.Validate()
}

// ParseGroupTargets reads "城区=15; 郊县=8" (also with "，", "；", "：" or
// ":"): each outlet group's target. Empty is none.
func ParseGroupTargets(s string) (map[string]Centi, error) {
	s = strings.NewReplacer("；", ";", "，", ";", ",", ";", "：", "=", ":", "=").Replace(s)
	out := map[string]Centi{}
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		g, v, ok := strings.Cut(part, "=")
		g = strings.TrimSpace(g)
		if !ok || g == "" {
			return nil, models.Errorf(models.EINVALID, "%q 应形如 分组=目标 / %q: want group=target, e.g. 郊县=8", clip(part), clip(part))
		}
		t, err := ParseCenti(v)
		if err != nil {
			return nil, err
		}
		if _, dup := out[g]; dup {
			return nil, models.Errorf(models.EINVALID, "分组 %q 重复 / group %q is given twice", clip(g), clip(g))
		}
		out[g] = t
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// wholeNumber reads a whole number 0-1000; empty is 0.
func wholeNumber(field, s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1000 {
		return 0, models.Errorf(models.EINVALID, "%s：%q 应为 0 到 1000 的整数 / %s: %q is not a whole number 0-1000",
			field, clip(s), field, clip(s))
	}
	return n, nil
}

// named prefixes a parse error with the field it came from.
func named(field string, err error) error {
	if e, ok := err.(*models.Error); ok {
		return models.Errorf(e.Code, "%s：%s", field, e.Message)
	}
	return err
}
