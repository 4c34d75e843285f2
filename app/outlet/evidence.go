package outlet

import (
	"math/bits"
	"strconv"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Reports carry evidence the branch can pay on (docs/EVIDENCE.md): the
// minutes of each hour the outlet served (coverage, from the heartbeat)
// and the signals of inflation, counted by the check-in writer over phone
// check-ins in day_counts (kinds minute and signal, migration 0010).

// BurstLimit is the most phone check-ins in one minute that are not a
// burst: a group of workers arriving together stays under it.
const BurstLimit = 10

// Settings keys: the first local days whose reports carry signals and
// coverage. An outlet upgraded to this version knows neither for the days
// it already served, nor its heartbeat for the day it starts on.
const (
	settingSignalsFrom  = "signals_from"
	settingCoverageFrom = "coverage_from"
)

// kindBurst is the row the report's query sums the minutes over the burst
// limit into.
const kindBurst = "burst"

// evidenceCounts gathers the signal, minute and burst rows of a day's
// counts.
type evidenceCounts struct {
	signals models.Signals
	busiest int // minute of the day of signals.BusiestMinute
	gateway int // phone check-ins the public gateway took
}

// add takes c if it is a signal or minute row.
func (e *evidenceCounts) add(c dayCount) bool {
	switch c.Kind {
	case kindSignal:
		switch c.Code {
		case signalCookieless:
			e.signals.Cookieless = c.CheckIns
		case signalOffHours:
			e.signals.OffHours = c.CheckIns
		case signalTopAddress:
			e.signals.TopAddress = c.CheckIns
		case signalGateway:
			e.gateway = c.CheckIns
		}
	case kindMinute:
		m, err := strconv.Atoi(c.Code)
		if err != nil {
			return true
		}
		g := &e.signals
		if c.CheckIns > g.BusiestMinute || c.CheckIns == g.BusiestMinute && m < e.busiest {
			g.BusiestMinute, e.busiest = c.CheckIns, m
		}
	case kindBurst:
		e.signals.BurstCheckIns = c.CheckIns
	default:
		return false
	}
	return true
}

// paths splits the phone check-ins of channels by the way they came; nil
// when the gateway took none.
func (e evidenceCounts) paths(ch models.ChannelCounts) *models.PathCounts {
	if e.gateway == 0 {
		return nil
	}
	return &models.PathCounts{Local: ch.Live + ch.Poster - e.gateway, Gateway: e.gateway}
}

// addEvidence puts the signals and the coverage into r, for the days that
// have them.
func (s *Service) addEvidence(q *gorm.DB, r *models.Report, e evidenceCounts) error {
	var from []struct{ Key, Value string }
	if err := q.Raw(`SELECT key, value FROM settings WHERE key IN (?, ?)`, settingSignalsFrom, settingCoverageFrom).
		Scan(&from).Error; err != nil {
		return err
	}
	for _, f := range from {
		switch {
		case r.Day < f.Value:
		case f.Key == settingSignalsFrom:
			sig := e.signals
			sig.BurstLimit = BurstLimit
			if sig.BusiestMinute > 0 {
				sig.BusiestAt = time.Date(0, 1, 1, 0, e.busiest, 0, 0, time.UTC).Format("15:04")
			}
			r.Signals = &sig
		case f.Key == settingCoverageFrom:
			cov, err := coverage(q, r.Day)
			if err != nil {
				return err
			}
			r.Coverage = &cov
		}
	}
	return nil
}

// coverage is the minutes of each hour of day the heartbeat marked.
func coverage(q *gorm.DB, day string) ([24]int, error) {
	var out [24]int
	var rows []struct {
		Hour    int
		Minutes int64
	}
	if err := q.Raw(`SELECT hour, minutes FROM uptime WHERE day = ?`, day).Scan(&rows).Error; err != nil {
		return out, err
	}
	for _, r := range rows {
		if r.Hour >= 0 && r.Hour < 24 {
			out[r.Hour] = bits.OnesCount64(uint64(r.Minutes))
		}
	}
	return out, nil
}

// recountMinutes counts a day's phone check-ins per local minute, and
// those in minutes over the burst limit, from the check-in rows, for
// RecountReport.
func (s *Service) recountMinutes(q *gorm.DB, day string) ([]dayCount, error) {
	var rows []struct{ At, People int64 }
	if err := q.Raw(`SELECT at, people FROM checkins WHERE day = ? AND channel <> 'assisted'`, day).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	perMinute := map[int]int{}
	for _, r := range rows {
		t := time.UnixMilli(r.At).In(s.cfg.Location)
		perMinute[t.Hour()*60+t.Minute()] += int(r.People)
	}
	out := make([]dayCount, 0, len(perMinute)+1)
	bursts := 0
	for m, n := range perMinute {
		out = append(out, dayCount{Kind: kindMinute, Code: strconv.Itoa(m), CheckIns: n})
		if n > BurstLimit {
			bursts += n
		}
	}
	return append(out, dayCount{Kind: kindBurst, CheckIns: bursts}), nil
}

// startEvidence records, once, the first days whose reports carry signals
// and coverage: today for signals on a new database (nothing was counted
// before), tomorrow otherwise, and tomorrow for coverage, whose heartbeat
// starts now.
func startEvidence(tx *gorm.DB, now time.Time, loc *time.Location) error {
	today, _ := models.LocalDay(now, loc)
	tomorrow := models.AddDays(today, 1)
	var used int64
	if err := tx.Raw(`SELECT COUNT(*) FROM (SELECT 1 FROM checkins LIMIT 1)`).Scan(&used).Error; err != nil {
		return err
	}
	signalsFrom := today
	if used > 0 {
		signalsFrom = tomorrow
	}
	for k, v := range map[string]string{settingSignalsFrom: signalsFrom, settingCoverageFrom: tomorrow} {
		if err := tx.Exec(`INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, k, v).Error; err != nil {
			return err
		}
	}
	return nil
}
