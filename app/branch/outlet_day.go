package branch

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// SignalBench is one signal of an outlet-day beside the day's network:
// the outlet's share of its phone check-ins, the median of the outlets'
// shares and their robust spread, over the outlets judged.
type SignalBench struct {
	Code    string   `json:"code"`
	Share   *float64 `json:"share,omitempty"` // nil: the outlet was not judged
	Median  float64  `json:"network_median"`
	Spread  float64  `json:"network_spread"`
	Outlets int      `json:"outlets_judged"`
}

// OutletDayDetail is one outlet-day: its report as received, how the day
// was served hour by hour, its signals beside the network's, its flags and
// every push of it. Flags of the console and the workbooks link here.
type OutletDayDetail struct {
	Outlet   Outlet         `json:"outlet"`
	Day      string         `json:"day"`
	Report   *models.Report `json:"report,omitempty"` // nil: not reported
	Received *time.Time     `json:"received_at,omitempty"`
	Status   string         `json:"day_status"`
	Coverage *float64       `json:"coverage,omitempty"`
	// OpenMinutes are the minutes of each hour its opening hours count (all
	// 60 when they cannot be read); nil without coverage.
	OpenMinutes *[24]int      `json:"open_minutes,omitempty"`
	Signals     *DaySignals   `json:"signals,omitempty"`
	Network     []SignalBench `json:"network"`
	Flags       []Flag        `json:"flags"`
	Receipts    []Receipt     `json:"receipts"`
}

// OutletDay returns one outlet-day.
func (s *Service) OutletDay(ctx context.Context, code, day string) (OutletDayDetail, error) {
	if _, err := models.ParseDay(day); err != nil {
		return OutletDayDetail{}, err
	}
	d := OutletDayDetail{Day: day, Network: []SignalBench{}, Flags: []Flag{}, Receipts: []Receipt{}}
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		reg, err := registryRow(tx, code)
		if err != nil {
			return err
		}
		d.Outlet = reg.outlet()
		rows, err := s.dayJudged(tx, day)
		if err != nil {
			return err
		}
		d.Status = DayNotReported
		for _, r := range rows {
			if r.Outlet == code {
				d.Status = dayStatus(true, r.UpMinutes, r.OpenMinutes, s.threshold())
				d.Coverage, d.Signals = coverageShare(r.UpMinutes, r.OpenMinutes), r.signals()
			}
		}
		d.Network = dayBenches(rows, code)
		if flags := s.judgeDay(day, rows)[code]; flags != nil {
			d.Flags = flags
		}
		if err := d.readReport(tx); err != nil {
			return err
		}
		return d.readReceipts(tx)
	})
	return d, err
}

// dayJudged reads every report of day as judgeDay needs it.
func (s *Service) dayJudged(tx *gorm.DB, day string) ([]judgedDay, error) {
	var rows []struct {
		Outlet                 string
		CheckIns               int `gorm:"column:checkins"`
		Live, Poster, Assisted int
		DayEvidence
	}
	if err := tx.Raw(`SELECT outlet, checkins, live, poster, assisted, `+dayEvidenceColumns+`
		FROM reports WHERE day = ?`, day).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]judgedDay, len(rows))
	for i, r := range rows {
		out[i] = newJudgedDay(r.Outlet, r.CheckIns, r.Live, r.Poster, r.Assisted, r.DayEvidence)
	}
	return out, nil
}

// dayBenches sets each signal of outlet beside the day's network.
func dayBenches(rows []judgedDay, outlet string) []SignalBench {
	out := make([]SignalBench, 0, len(shareSignals))
	signals := signalsOf(rows)
	for _, sig := range shareSignals {
		shares := sharesOf(sig, signals)
		b := SignalBench{Code: sig.code, Outlets: len(shares)}
		if x, ok := shares[outlet]; ok {
			b.Share = &x
		}
		b.Median, b.Spread = robust(slices.Collect(maps.Values(shares)))
		out = append(out, b)
	}
	return out
}

// readReport reads the day's current report and, with its coverage, the
// minutes of each hour its opening hours count.
func (d *OutletDayDetail) readReport(tx *gorm.DB) error {
	var rows []struct {
		Body       string
		ReceivedAt int64
	}
	if err := tx.Raw(`SELECT body, received_at FROM reports WHERE outlet = ? AND day = ?`, d.Outlet.Code, d.Day).
		Scan(&rows).Error; err != nil || len(rows) == 0 {
		return err
	}
	var r models.Report
	if err := json.Unmarshal([]byte(rows[0].Body), &r); err != nil {
		return err
	}
	d.Report, d.Received = &r, fromMillis(&rows[0].ReceivedAt)
	if r.Coverage != nil {
		open := openMinutesByHour(r)
		d.OpenMinutes = &open
	}
	return nil
}

// readReceipts lists every push of the day, newest first.
func (d *OutletDayDetail) readReceipts(tx *gorm.DB) error {
	var rows []struct {
		Revision   int
		Outcome    string
		ReceivedAt int64
	}
	if err := tx.Raw(`SELECT revision, outcome, received_at FROM report_receipts WHERE outlet = ? AND day = ?
		ORDER BY received_at DESC, id DESC LIMIT ?`, d.Outlet.Code, d.Day, MaxReceipts).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		d.Receipts = append(d.Receipts, Receipt{Day: d.Day, Revision: r.Revision, Outcome: r.Outcome,
			ReceivedAt: time.UnixMilli(r.ReceivedAt).UTC()})
	}
	return nil
}
