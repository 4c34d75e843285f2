package scoring

import (
	"fmt"
	"math/big"
	"sort"
)

// Total is what the fund holds for n scored outlets: n × PerOutletFen.
func (f Fund) Total(n int) int64 { return int64(n) * f.PerOutletFen }

// Allocate shares the fund of a month among its scored outlets, given
// best first (scores and their Ranks; ties in the input order). The
// amounts, in fen and in the same order, add up to exactly Total:
//
//   - RuleProportional: in proportion to the scores (equally when every
//     score is 0), by the largest-remainder method;
//   - RuleTiers: with k = n / 3 (rounded down), the outlets ranked k or
//     better are the top tier and those ranked below n - k the bottom one
//     (ties stay together); each outlet gets PerOutletFen, the bottom tier
//     TierStepFen less each, and what they give is shared equally by the
//     top tier, by the largest-remainder method.
func (f Fund) Allocate(scores []Centi, ranks []int) []int64 {
	n := len(scores)
	if f.Rule == RuleTiers {
		return f.tiers(ranks)
	}
	weights := make([]int64, n)
	var sum int64
	for i, s := range scores {
		weights[i] = int64(s)
		sum += weights[i]
	}
	if sum == 0 {
		for i := range weights {
			weights[i] = 1
		}
	}
	return LargestRemainder(f.Total(n), weights)
}

func (f Fund) tiers(ranks []int) []int64 {
	n := len(ranks)
	out := make([]int64, n)
	k := n / 3
	var top []int
	var pool int64
	for i, r := range ranks {
		out[i] = f.PerOutletFen
		switch {
		case r <= k:
			top = append(top, i)
		case r > n-k:
			out[i] -= f.TierStepFen
			pool += f.TierStepFen
		}
	}
	if len(top) == 0 {
		return out // no tiers (fewer than three outlets): the pool is empty too
	}
	weights := make([]int64, len(top))
	for i := range weights {
		weights[i] = 1
	}
	for j, share := range LargestRemainder(pool, weights) {
		out[top[j]] += share
	}
	return out
}

// LargestRemainder shares total (fen) in proportion to weights (each at
// least 0, not all 0): each gets the whole fen of its exact share, then
// the fen left over go one each to the largest remainders, equal
// remainders in the given order. The shares add up to exactly total.
func LargestRemainder(total int64, weights []int64) []int64 {
	if len(weights) == 0 {
		return nil
	}
	var sum big.Int
	for _, w := range weights {
		sum.Add(&sum, big.NewInt(w))
	}
	out := make([]int64, len(weights))
	rems := make([]*big.Int, len(weights))
	left := total
	for i, w := range weights {
		q, r := new(big.Int), new(big.Int)
		q.QuoRem(new(big.Int).Mul(big.NewInt(total), big.NewInt(w)), &sum, r)
		out[i], rems[i] = q.Int64(), r
		left -= out[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].Cmp(rems[order[b]]) > 0 })
	for _, i := range order[:left] {
		out[i]++
	}
	return out
}

// RuleText says in words how the fund is shared, Chinese and English.
func (f Fund) RuleText() string {
	if f.Rule == RuleTiers {
		return fmt.Sprintf("分档：按名次分三档（n÷3 向下取整为 k，名次 ≤ k 为前档，名次 > n−k 为后档，并列同档），"+
			"后档每个网点扣 %s 元，扣出的金额由前档网点平分，其余网点为基数 %s 元 / tiers: with k = n ÷ 3 rounded down, "+
			"outlets ranked k or better are the top tier and those ranked below n − k the bottom tier (ties stay together); "+
			"each bottom-tier outlet gives %s yuan, shared equally by the top tier; the others get the base %s yuan",
			Yuan(f.TierStepFen), Yuan(f.PerOutletFen), Yuan(f.TierStepFen), Yuan(f.PerOutletFen))
	}
	return fmt.Sprintf("按得分比例：总额（每网点每月 %s 元 × 参评网点数）按各网点得分占总分的比例分配（总分为 0 时平分）/ "+
		"in proportion to the scores: the total (%s yuan per scored outlet a month) is shared by each outlet's share of "+
		"all scores (equally if all are 0)", Yuan(f.PerOutletFen), Yuan(f.PerOutletFen))
}

// RoundingRule states how amounts are rounded, Chinese and English.
const RoundingRule = "金额以分为单位，按最大余数法分配：各网点先取应得份额的整分，剩余的分按余数从大到小逐一补足，" +
	"余数相同时按名次先后、再按网点代码，合计恰等于总额；得分四舍五入到 0.01 分 / amounts are in fen, shared by the " +
	"largest-remainder method: each outlet first gets the whole fen of its exact share, then the fen left over go one " +
	"each to the largest remainders (equal remainders by rank, then outlet code), so the amounts add up exactly to the " +
	"total; points are rounded half up to 0.01"

// QuarterRuleText states how a quarter is scored from its months.
func QuarterRuleText(rule string) string {
	if rule == QuarterWeighted {
		return "季度得分为各月得分按应报天数加权的平均数，季度金额为各月金额之和 / a quarter's score is the mean of its " +
			"months' scores weighted by their days due; its amounts are its months' amounts added up"
	}
	return "季度得分为各月得分的平均数，季度金额为各月金额之和 / a quarter's score is the mean of its months' scores; " +
		"its amounts are its months' amounts added up"
}
