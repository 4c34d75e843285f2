package branch

import (
	"cmp"

	"gorm.io/gorm"
)

// coverageGap is an outlet-day served less than its opening hours.
type coverageGap struct {
	Day      string
	Up, Open int64
}

// coverageGaps lists, per outlet, the days of from..to served less than
// their opening hours: few, read through the partial index reports_gaps.
func coverageGaps(tx *gorm.DB, from, to string) (map[string][]coverageGap, error) {
	var rows []struct {
		Outlet, Day string
		Up, Open    int64
	}
	if err := tx.Raw(`SELECT outlet, day, up_minutes AS up, open_minutes AS open FROM reports
		WHERE day >= ? AND day <= ? AND up_minutes < open_minutes ORDER BY outlet, day`, from, to).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string][]coverageGap{}
	for _, r := range rows {
		out[r.Outlet] = append(out[r.Outlet], coverageGap{Day: r.Day, Up: r.Up, Open: r.Open})
	}
	return out, nil
}

// shortDays sorts an outlet's gaps: the days down, the days partly down
// and the first of either.
func (s *Service) shortDays(gaps []coverageGap) (down, partly int, examples []string) {
	for _, g := range gaps {
		switch dayStatus(true, &g.Up, &g.Open, s.threshold()) {
		case DayDown:
			down++
		case DayPartlyDown:
			partly++
		default:
			continue
		}
		if len(examples) < maxFlagDays {
			examples = append(examples, g.Day)
		}
	}
	return down, partly, examples
}

// dayCounts sorts an outlet's days of a period by status: its reports
// (t), those of them short of coverage (gaps) and the days owed without
// a report (missing).
func (s *Service) dayCounts(t Totals, gaps []coverageGap, missing int) DayCounts {
	c := DayCounts{Unknown: t.Days - t.Coverage.DaysKnown, NotReported: missing}
	c.Down, c.PartlyDown, _ = s.shortDays(gaps)
	c.Served = t.Coverage.DaysKnown - c.Down - c.PartlyDown
	return c
}

// coverageFlag flags the days of a period down or partly down.
func (s *Service) coverageFlag(cov CoverageTotals, gaps []coverageGap) (Flag, bool) {
	f := Flag{Code: FlagCoverage, NetworkShare: s.threshold()}
	f.DaysDown, f.Days, f.Examples = s.shortDays(gaps)
	if len(f.Examples) == 0 {
		return f, false
	}
	f.Day = f.Examples[0]
	if share := cov.Share(); share != nil {
		f.Share = *share
	}
	return f, true
}

// judgePeriod adds the flags judged against the network to a's rows
// (assisted share, and the signals of inflation, each linked to the
// outlet's day where it was strongest), words every flag and counts the
// outlets flagged.
func (s *Service) judgePeriod(tx *gorm.DB, a *Assessment) error {
	signals := map[string]SignalTotals{}
	for _, o := range a.Outlets {
		signals[o.Code] = o.Signals
	}
	judged := judgeShares(signals)
	for i := range a.Outlets {
		o := &a.Outlets[i]
		var network []Flag
		if f, ok := assistedFlag(o.Totals, a.AssistedRate); ok {
			network = append(network, f)
		}
		for _, f := range judged[o.Code] {
			day, err := strongestDay(tx, o.Code, f.Code, a.Period.From, a.Through)
			if err != nil {
				return err
			}
			f.Day = day
			network = append(network, f)
		}
		o.Flags = append(network, o.Flags...)
		for j := range o.Flags {
			o.Flags[j].Text = FlagText(o.Flags[j])
		}
		if len(o.Flags) > 0 {
			a.Flagged++
		}
	}
	return nil
}

// signalColumns name each share signal's reports column.
var signalColumns = map[string]string{FlagTopAddress: "top_address", FlagCookieless: "cookieless",
	FlagOffHours: "off_hours", FlagBursts: "burst_checkins"}

// strongestDay is the outlet's day of from..to with the largest share of
// the signal flagged by code.
func strongestDay(tx *gorm.DB, outlet, code, from, to string) (string, error) {
	col := cmp.Or(signalColumns[code], "cookieless")
	var days []string
	err := tx.Raw(`SELECT day FROM reports WHERE outlet = ? AND day >= ? AND day <= ? AND sig_phone > 0
		ORDER BY CAST(`+col+` AS REAL) / sig_phone DESC, day LIMIT 1`, outlet, from, to).Scan(&days).Error
	if len(days) == 0 {
		return "", err
	}
	return days[0], err
}
