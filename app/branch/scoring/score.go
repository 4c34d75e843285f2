package scoring

import "math/big"

// Points are what one measure gave an outlet, and why.
type Points struct {
	Measure string `json:"measure"`
	Weight  int    `json:"weight"`
	Target  Centi  `json:"target"` // the outlet's group's target, in the measure's unit
	// Actual is the outlet's value in the measure's unit, rounded to two
	// places; nil when nothing could be measured.
	Actual *Centi `json:"actual"`
	Points Centi  `json:"points"`
	// Note says why a measure was not measured: NoteNoneDue (full points)
	// or NoteUnknown (none).
	Note string `json:"note,omitempty"`
	// Rule says how feedback_on_time was judged (Figures.FeedbackRule).
	Rule string `json:"rule,omitempty"`
}

// Notes of Points.
const (
	NoteNoneDue = "none_due" // nothing was due: full points
	NoteUnknown = "unknown"  // the reports do not say: no points
)

// Result is an outlet's score of a month and the points behind it.
type Result struct {
	Gross     Centi    `json:"gross"`     // the measures' points added up
	Deduction Centi    `json:"deduction"` // for integrity flags
	Score     Centi    `json:"score"`     // gross less deduction, at least 0
	Points    []Points `json:"points"`    // in the order of Measures
}

// Score scores figures f of an outlet of group. Each measure gives
//
//	weight × min(value / target, 1)
//
// points, rounded half up to 0.01 point from the exact fraction (value is
// itself a fraction of whole counts, so nothing is rounded twice). Then
// FlagPoints per integrity flag are taken off, at most FlagCap, and never
// below 0.
func (s Scheme) Score(group string, f Figures) Result {
	var r Result
	for _, m := range s.Weighted() {
		info, _ := MeasureNamed(m.Code)
		p := Points{Measure: m.Code, Weight: m.Weight, Target: m.TargetFor(group)}
		if m.Code == FeedbackInTime {
			p.Rule = f.FeedbackRule
		}
		full := Centi(100 * m.Weight)
		num, den := info.value(f)
		switch {
		case den == 0 && info.NoneDueFull:
			p.Points, p.Note = full, NoteNoneDue
		case den == 0:
			p.Note = NoteUnknown
		default:
			actual := Centi(divRound(big.NewInt(100*num), big.NewInt(den)))
			p.Actual = &actual
			// points = full × (num/den) / (target/100), at most full
			a := new(big.Int).Mul(big.NewInt(int64(full)), big.NewInt(100*num))
			b := new(big.Int).Mul(big.NewInt(den), big.NewInt(int64(p.Target)))
			p.Points = min(full, Centi(divRound(a, b)))
		}
		r.Gross += p.Points
		r.Points = append(r.Points, p)
	}
	r.Deduction = Centi(100 * min(int64(s.FlagPoints)*f.Flags, int64(s.FlagCap)))
	r.Score = max(0, r.Gross-r.Deduction)
	return r
}

// divRound is a/b rounded half up, for a >= 0 and b > 0; it saturates at
// the largest int64.
func divRound(a, b *big.Int) int64 {
	q := new(big.Int).Mul(a, big.NewInt(2))
	q.Add(q, b)
	q.Quo(q, new(big.Int).Mul(b, big.NewInt(2)))
	if !q.IsInt64() {
		return 1<<63 - 1
	}
	return q.Int64()
}

// Ranks gives competition ranks to scores sorted best first: equal scores
// share a rank and the next rank skips, 1, 2, 2, 4.
func Ranks(sorted []Centi) []int {
	out := make([]int, len(sorted))
	for i := range sorted {
		out[i] = i + 1
		if i > 0 && sorted[i] == sorted[i-1] {
			out[i] = out[i-1]
		}
	}
	return out
}

// QuarterScore is a quarter's score from its months': the mean of the
// scores (QuarterMean) or their mean weighted by each month's days due
// (QuarterWeighted), rounded half up to 0.01. Months in which the outlet
// was not scored are left out by the caller.
func QuarterScore(rule string, scores []Centi, daysDue []int64) Centi {
	var sum, weights int64
	for i, s := range scores {
		w := int64(1)
		if rule == QuarterWeighted {
			w = daysDue[i]
		}
		sum += int64(s) * w
		weights += w
	}
	if weights == 0 {
		return 0
	}
	return Centi(divRound(big.NewInt(sum), big.NewInt(weights)))
}
