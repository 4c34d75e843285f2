package branch

import (
	"maps"
	"math"
	"slices"

	"harbor/models"
)

// The branch judges each outlet's evidence (docs/EVIDENCE.md): coverage
// against a threshold of its opening hours, the signals of inflation
// against the network.

// Day statuses: how an outlet-day was served, from its coverage.
const (
	DayServed      = "served"           // at least the threshold of its opening hours
	DayPartlyDown  = "partly_down"      // some of them, but less
	DayDown        = "down"             // none of them
	DayNotReported = "not_reported"     // no report (yet)
	DayUnknown     = "coverage_unknown" // a report without coverage (an older outlet)
)

// Thresholds of the signals judged against the network. An outlet's
// share of a signal (of its phone check-ins) is flagged when it is at
// least SignalSpreads robust spreads and SignalMargin above the network's
// median share; only outlets with SignalMinCheckIns phone check-ins are
// judged, and only when at least SignalMinOutlets are.
const (
	SignalMinCheckIns = 20
	SignalMinOutlets  = 5
	SignalSpreads     = 4.0
	SignalMargin      = 0.15
)

// dayStatus is the status of an outlet-day with coverage up of open
// minutes (nil: unknown), at threshold (0..1).
func dayStatus(reported bool, up, open *int64, threshold float64) string {
	switch {
	case !reported:
		return DayNotReported
	case up == nil || open == nil:
		return DayUnknown
	case *open == 0 || float64(*up) >= threshold*float64(*open):
		return DayServed
	case *up == 0:
		return DayDown
	}
	return DayPartlyDown
}

// threshold is the coverage threshold as a share.
func (s *Service) threshold() float64 { return float64(s.cfg.CoverageThreshold) / 100 }

// shareSignal is a signal judged as a share of phone check-ins.
type shareSignal struct {
	code string
	part func(SignalTotals) int
}

var shareSignals = []shareSignal{
	{FlagTopAddress, func(g SignalTotals) int { return g.TopAddress }},
	{FlagCookieless, func(g SignalTotals) int { return g.Cookieless }},
	{FlagOffHours, func(g SignalTotals) int { return g.OffHours }},
	{FlagBursts, func(g SignalTotals) int { return g.BurstCheckIns }},
}

// judgeShares flags, per outlet code, the shares of signals that stand out
// from the network's.
func judgeShares(outlets map[string]SignalTotals) map[string][]Flag {
	out := map[string][]Flag{}
	for _, sig := range shareSignals {
		shares := sharesOf(sig, outlets)
		if len(shares) < SignalMinOutlets {
			continue
		}
		median, spread := robust(slices.Collect(maps.Values(shares)))
		bar := median + max(SignalSpreads*spread, SignalMargin)
		for code, x := range shares {
			if x >= bar && x > 0 {
				out[code] = append(out[code], Flag{Code: sig.code, Share: x, NetworkShare: median, Spread: spread})
			}
		}
	}
	return out
}

// sharesOf is each judged outlet's share of sig: those with at least
// SignalMinCheckIns phone check-ins.
func sharesOf(sig shareSignal, outlets map[string]SignalTotals) map[string]float64 {
	shares := map[string]float64{}
	for code, g := range outlets {
		if g.Phone >= SignalMinCheckIns {
			shares[code] = float64(sig.part(g)) / float64(g.Phone)
		}
	}
	return shares
}

// robust returns the median of xs and its robust spread: the median
// absolute deviation scaled to a normal distribution's standard deviation.
func robust(xs []float64) (median, spread float64) {
	median = medianOf(xs)
	dev := make([]float64, len(xs))
	for i, x := range xs {
		dev[i] = math.Abs(x - median)
	}
	return median, 1.4826 * medianOf(dev)
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// daySignals are the signal totals of one report's columns.
func daySignals(phone *int64, g models.Signals) SignalTotals {
	if phone == nil {
		return SignalTotals{}
	}
	return SignalTotals{Phone: int(*phone), Cookieless: g.Cookieless, OffHours: g.OffHours,
		TopAddress: g.TopAddress, BurstCheckIns: g.BurstCheckIns}
}

// coverageShare is up/open, nil when unknown or nothing was open.
func coverageShare(up, open *int64) *float64 {
	if up == nil || open == nil || *open == 0 {
		return nil
	}
	x := float64(*up) / float64(*open)
	return &x
}

// StateName names an outlet state (AssessmentRow.State) in Chinese and
// English.
func StateName(state string) string {
	switch state {
	case OutletActive:
		return "正常上报 active"
	case OutletNeverReported:
		return "已接入未上报 enrolled, never reported"
	case OutletNotEnrolled:
		return "未接入 not enrolled"
	case OutletRevoked:
		return "已撤销 revoked"
	}
	return state
}

// FlagName names a flag code in a word or two, Chinese and English.
func FlagName(code string) string {
	switch code {
	case FlagAssistedShare:
		return "代登记偏高 assisted"
	case FlagMissingDays:
		return "缺报 missing"
	case FlagReportedLate:
		return "截止后首报 first reported late"
	case FlagChangedLate:
		return "截止后修改 changed late"
	case FlagCoverage:
		return "停机 down"
	case FlagTopAddress:
		return "同一地址 one address"
	case FlagCookieless:
		return "无 Cookie cookie-less"
	case FlagOffHours:
		return "开放时间外 off hours"
	case FlagBursts:
		return "成批登记 bursts"
	}
	return code
}

// add adds o's days.
func (c *DayCounts) add(o DayCounts) {
	c.Served += o.Served
	c.PartlyDown += o.PartlyDown
	c.Down += o.Down
	c.Unknown += o.Unknown
	c.NotReported += o.NotReported
}
