package branch

import (
	"cmp"

	"harbor/models"
)

// dayEvidenceColumns are a report's evidence columns as one day's views
// read them; DayEvidence holds them.
const dayEvidenceColumns = `up_minutes, open_minutes, sig_phone, cookieless, off_hours, top_address,
	burst_checkins, busiest_minute, busiest_at`

// DayEvidence is a report's evidence columns as one day's views read
// them (exported for the scanner: it reads only exported embedded structs).
type DayEvidence struct {
	UpMinutes, OpenMinutes *int64
	SigPhone               *int64
	Cookieless, OffHours   int
	TopAddress             int
	BurstCheckins          int
	BusiestMinute          int
	BusiestAt              string
}

// dest are e's fields in dayEvidenceColumns order, for Scan.
func (e *DayEvidence) dest() []any {
	return []any{&e.UpMinutes, &e.OpenMinutes, &e.SigPhone, &e.Cookieless, &e.OffHours, &e.TopAddress,
		&e.BurstCheckins, &e.BusiestMinute, &e.BusiestAt}
}

func (e DayEvidence) signalTotals() SignalTotals {
	return daySignals(e.SigPhone, models.Signals{Cookieless: e.Cookieless, OffHours: e.OffHours,
		TopAddress: e.TopAddress, BurstCheckIns: e.BurstCheckins})
}

// DaySignals are one outlet-day's signals.
type DaySignals struct {
	SignalTotals
	BusiestMinute int    `json:"busiest_minute"`
	BusiestAt     string `json:"busiest_minute_at,omitempty"`
}

// signals are e's signals, nil when its report had none.
func (e DayEvidence) signals() *DaySignals {
	if e.SigPhone == nil {
		return nil
	}
	return &DaySignals{SignalTotals: e.signalTotals(), BusiestMinute: e.BusiestMinute, BusiestAt: e.BusiestAt}
}

// judgedDay is one outlet's report of a day, as its flags need it.
type judgedDay struct {
	Outlet   string
	CheckIns int
	Channels models.ChannelCounts
	DayEvidence
}

func newJudgedDay(outlet string, checkIns, live, poster, assisted int, e DayEvidence) judgedDay {
	return judgedDay{Outlet: outlet, CheckIns: checkIns, DayEvidence: e,
		Channels: models.ChannelCounts{Live: live, Poster: poster, Assisted: assisted}}
}

// judgeDay flags one day's outlet-days (rows: every report of the day):
// coverage below the threshold, an assisted share far above the day's
// network, and signals standing out from the day's network. Each flag
// links to the day and says what it saw.
func (s *Service) judgeDay(day string, rows []judgedDay) map[string][]Flag {
	out := map[string][]Flag{}
	var network Totals
	for _, r := range rows {
		network.CheckIns += r.CheckIns
		network.Channels.Assisted += r.Channels.Assisted
	}
	judged := judgeShares(signalsOf(rows))
	for _, r := range rows {
		var flags []Flag
		if f, ok := s.dayCoverageFlag(day, r.UpMinutes, r.OpenMinutes); ok {
			flags = append(flags, f)
		}
		if f, ok := assistedFlag(Totals{CheckIns: r.CheckIns, Channels: r.Channels}, network.AssistedShare()); ok {
			flags = append(flags, f)
		}
		flags = append(flags, judged[r.Outlet]...)
		for i := range flags {
			flags[i].Day = day
			flags[i].Text = cmp.Or(flags[i].Text, FlagText(flags[i]))
		}
		if len(flags) > 0 {
			out[r.Outlet] = flags
		}
	}
	return out
}

// signalsOf are the rows' signals by outlet.
func signalsOf(rows []judgedDay) map[string]SignalTotals {
	out := make(map[string]SignalTotals, len(rows))
	for _, r := range rows {
		out[r.Outlet] = r.signalTotals()
	}
	return out
}

// dayCoverageFlag flags a day down or partly down.
func (s *Service) dayCoverageFlag(day string, up, open *int64) (Flag, bool) {
	f := Flag{Code: FlagCoverage, Day: day, Examples: []string{day}, NetworkShare: s.threshold()}
	switch dayStatus(true, up, open, s.threshold()) {
	case DayDown:
		f.DaysDown = 1
	case DayPartlyDown:
		f.Days = 1
	default:
		return f, false
	}
	f.Share = *coverageShare(up, open)
	f.Text = dayCoverageText(f)
	return f, true
}
