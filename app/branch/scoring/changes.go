package scoring

import (
	"fmt"
	"sort"
	"strings"
)

// Changes lists in words what new changes from old, one line each,
// Chinese and English: the "what" of a scheme's change log.
func Changes(old, new Scheme) []string {
	var out []string
	add := func(zh, en string, from, to any) {
		if fmt.Sprint(from) != fmt.Sprint(to) {
			out = append(out, fmt.Sprintf("%s %v → %v / %s", zh, from, to, en))
		}
	}
	add("生效月份", "effective from", old.EffectiveFrom, new.EffectiveFrom)
	add("方案名称", "name", old.Name, new.Name)
	oldM := map[string]Measure{}
	for _, m := range old.Measures {
		oldM[m.Code] = m
	}
	newM := map[string]Measure{}
	for _, m := range new.Measures {
		newM[m.Code] = m
	}
	for _, info := range Measures {
		o, inOld := oldM[info.Code]
		n, inNew := newM[info.Code]
		switch {
		case !inOld && !inNew:
			continue
		case !inOld:
			out = append(out, fmt.Sprintf("新增指标「%s」权重 %d、目标 %s / measure %s added: weight %d, target %s",
				info.ZH, n.Weight, n.Target.Short(), info.EN, n.Weight, n.Target.Short()))
			continue
		case !inNew:
			out = append(out, fmt.Sprintf("取消指标「%s」/ measure %s removed", info.ZH, info.EN))
			continue
		}
		add("「"+info.ZH+"」权重", info.EN+" weight", o.Weight, n.Weight)
		add("「"+info.ZH+"」目标", info.EN+" target", o.Target.Short(), n.Target.Short())
		add("「"+info.ZH+"」分组目标", info.EN+" group targets", orNone(GroupText(o.Groups)), orNone(GroupText(n.Groups)))
	}
	add("每个核查提示扣分", "points off per flag", old.FlagPoints, new.FlagPoints)
	add("核查提示最多扣分", "most points off for flags", old.FlagCap, new.FlagCap)
	add("意见处理时限（天）", "feedback due within (days)", old.FeedbackDays, new.FeedbackDays)
	add("季度规则", "quarter rule", old.QuarterRule, new.QuarterRule)
	add("每网点每月基金（元）", "fund per outlet a month (yuan)", Yuan(old.Fund.PerOutletFen), Yuan(new.Fund.PerOutletFen))
	add("分配规则", "allocation rule", old.Fund.Rule, new.Fund.Rule)
	add("档差（元）", "tier step (yuan)", Yuan(old.Fund.TierStepFen), Yuan(new.Fund.TierStepFen))
	return out
}

// GroupText writes group targets as the editor takes them: "城区=15; 郊县=8".
func GroupText(groups map[string]Centi) string {
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, g := range names {
		parts[i] = g + "=" + groups[g].Short()
	}
	return strings.Join(parts, "; ")
}

func orNone(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
