package app_test

import (
	"math/big"
	"sort"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch/scoring"
	"harbor/models"
)

// The test's own reckoning of a bulletin, from the reports the seeded
// network pushed, with exact fractions: what the branch's integer
// arithmetic must agree with. Only the integrity flags are taken from the
// branch (their judgement is tested on its own, issue 11).

// oracleRow is an outlet's score, rank and amount as the test works them out.
type oracleRow struct {
	code    string
	score   int64 // hundredths of a point
	rank    int
	amount  int64 // fen
	daysDue int64
}

// oracleMonth scores every enrolled outlet's month by sc.
func (n *quarterNet) oracleMonth(month string, sc scoring.Scheme, flags map[string]int) []oracleRow {
	from := month + "-01"
	to := models.AddDays(models.AddDays(from, 32)[:7]+"-01", -1)
	var rows []oracleRow
	for code := range n.outlets {
		values, due := n.monthValues(code, from, to, sc.FeedbackDays)
		var points big.Rat
		for _, m := range sc.Measures {
			target := m.Target
			if t, ok := m.Groups[n.groups[code]]; ok {
				target = t
			}
			v := values[m.Code]
			share := big.NewRat(1, 1)
			if v != nil {
				share.Quo(v, big.NewRat(int64(target), 100))
				if share.Cmp(big.NewRat(1, 1)) > 0 {
					share.SetInt64(1)
				}
			}
			p := new(big.Rat).Mul(share, big.NewRat(int64(m.Weight)*100, 1))
			points.Add(&points, new(big.Rat).SetInt64(roundHalfUp(p)))
		}
		score := roundHalfUp(&points) - 100*min(int64(flags[code]*sc.FlagPoints), int64(sc.FlagCap))
		rows = append(rows, oracleRow{code: code, score: max(score, 0), daysDue: due})
	}
	rankRows(rows)
	shareFund(rows, sc.Fund)
	return rows
}

// monthValues are an outlet's values of every measure over from..to, in
// each measure's unit (nil: full points, nothing was due), and its days due.
func (n *quarterNet) monthValues(code, from, to string, within int) (map[string]*big.Rat, int64) {
	var checkIns, visitors, open, up, due, reported, onTime, activities, participants, fbDue, fbOnTime int64
	var queue []string // open feedback, one entry per piece, by the day received ("" before the month)
	first := true
	for d := from; d <= to; d = models.AddDays(d, 1) {
		due++
		r, ok := n.reports[code+" "+d]
		if !ok {
			continue
		}
		reported++
		if deadline, _ := time.ParseInLocation(models.DayLayout, models.AddDays(d, 2), apptest.Shanghai); n.pushedAt[code+" "+d].Before(deadline) {
			onTime++
		}
		checkIns += int64(r.Totals.CheckIns)
		visitors += int64(r.Totals.Visitors)
		for h, served := range r.Coverage { // opening hours 07:00-21:00
			if h >= 7 && h < 21 {
				open += 60
				up += int64(min(served, 60))
			}
		}
		for _, a := range r.Activities {
			activities++
			participants += int64(a.Participants)
		}
		fb := r.Feedback
		if first {
			for range fb.Open - fb.Received + fb.Resolved {
				queue = append(queue, "")
			}
			first = false
		}
		for range fb.Received {
			queue = append(queue, d)
		}
		for k := 0; k < fb.Resolved && len(queue) > 0; k++ {
			if got := queue[0]; got != "" {
				fbDue++
				if !dayTime(got).AddDate(0, 0, within).Before(dayTime(d)) {
					fbOnTime++
				}
			}
			queue = queue[1:]
		}
	}
	for _, got := range queue {
		if got != "" && !dayTime(got).AddDate(0, 0, within).After(dayTime(to)) {
			fbDue++
		}
	}
	frac := func(a, b int64) *big.Rat { return big.NewRat(a, b) }
	v := map[string]*big.Rat{
		scoring.CheckInsPerHour: frac(60*checkIns, open), scoring.VisitorsPerDay: frac(visitors, due),
		scoring.Coverage: frac(100*up, open), scoring.Activities: frac(activities, 1),
		scoring.Participants: frac(participants, 1), scoring.Reporting: frac(100*onTime, due),
	}
	if fbDue > 0 {
		v[scoring.FeedbackInTime] = frac(100*fbOnTime, fbDue)
	}
	return v, due
}

func dayTime(day string) time.Time {
	t, _ := time.Parse(models.DayLayout, day)
	return t
}

// roundHalfUp rounds a non-negative fraction to the nearest integer, a
// half up.
func roundHalfUp(x *big.Rat) int64 {
	y := new(big.Rat).Add(x, big.NewRat(1, 2))
	return new(big.Int).Quo(y.Num(), y.Denom()).Int64()
}

// rankRows sorts best first (by code among equals) and ranks: one more
// than the outlets with a higher score.
func rankRows(rows []oracleRow) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].score != rows[j].score {
			return rows[i].score > rows[j].score
		}
		return rows[i].code < rows[j].code
	})
	for i := range rows {
		rows[i].rank = 1
		for _, o := range rows {
			if o.score > rows[i].score {
				rows[i].rank++
			}
		}
	}
}

// shareFund shares the fund among rows (ranked) by its rule.
func shareFund(rows []oracleRow, f scoring.Fund) {
	n := int64(len(rows))
	if f.Rule == scoring.RuleTiers {
		k := n / 3
		var top []int
		var pool int64
		for i := range rows {
			rows[i].amount = f.PerOutletFen
			if int64(rows[i].rank) <= k {
				top = append(top, i)
			} else if int64(rows[i].rank) > n-k {
				rows[i].amount -= f.TierStepFen
				pool += f.TierStepFen
			}
		}
		for j, i := range top {
			rows[i].amount += pool / int64(len(top))
			if int64(j) < pool%int64(len(top)) {
				rows[i].amount++
			}
		}
		return
	}
	total, sum := n*f.PerOutletFen, int64(0)
	for _, r := range rows {
		sum += r.score
	}
	exact := make([]*big.Rat, len(rows))
	left := total
	for i, r := range rows {
		exact[i] = big.NewRat(total, n) // every score 0: equal shares
		if sum > 0 {
			exact[i] = big.NewRat(total*r.score, sum)
		}
		rows[i].amount = new(big.Int).Quo(exact[i].Num(), exact[i].Denom()).Int64()
		left -= rows[i].amount
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	rem := func(i int) *big.Rat { return new(big.Rat).Sub(exact[i], new(big.Rat).SetInt64(rows[i].amount)) }
	sort.SliceStable(order, func(a, b int) bool { return rem(order[a]).Cmp(rem(order[b])) > 0 })
	for _, i := range order[:left] {
		rows[i].amount++
	}
}

// oracleQuarter scores the quarter from its months' rows by rule.
func oracleQuarter(months [][]oracleRow, rule string) []oracleRow {
	byCode := map[string]*oracleRow{}
	sums, weights := map[string]int64{}, map[string]int64{}
	for _, rows := range months {
		for _, r := range rows {
			q := byCode[r.code]
			if q == nil {
				q = &oracleRow{code: r.code}
				byCode[r.code] = q
			}
			q.amount += r.amount
			w := int64(1)
			if rule == scoring.QuarterWeighted {
				w = r.daysDue
			}
			sums[r.code] += r.score * w
			weights[r.code] += w
		}
	}
	var out []oracleRow
	for code, q := range byCode {
		q.score = roundHalfUp(big.NewRat(sums[code], weights[code]))
		out = append(out, *q)
	}
	rankRows(out)
	return out
}
