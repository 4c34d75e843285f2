package branch

import (
	"time"

	"harbor/models"
)

// evidence is what a report says about its coverage and the signals of
// inflation, as stored in its reports row (migration 0007).
type evidence struct {
	figures string // models.FiguresHash
	// up and open are the minutes served within the opening hours and the
	// minutes of opening hours, over the hours of the day that were over
	// when the report was made; nil when the report has no coverage.
	up, open *int64
	phone    *int64 // live + poster check-ins; nil when the report has no signals
	signals  models.Signals
}

func evidenceOf(r models.Report) evidence {
	e := evidence{figures: models.FiguresHash(r)}
	if r.Coverage != nil {
		up, open := coverageWithinHours(r)
		e.up, e.open = &up, &open
	}
	if r.Signals != nil {
		phone := int64(r.Channels.Live + r.Channels.Poster)
		e.phone, e.signals = &phone, *r.Signals
	}
	return e
}

// coverageWithinHours counts the minutes of the report's coverage that fall
// within its opening hours, and the minutes of opening hours, over the
// hours of the day that were over when it was made (all 24 once final).
// Opening hours come from the report's profile; when they cannot be read,
// every minute of the day counts. Coverage says how many minutes of an
// hour were served, not which: within an hour only partly open, the
// served minutes are taken to be the open ones.
func coverageWithinHours(r models.Report) (up, open int64) {
	if r.Coverage == nil {
		return 0, 0
	}
	minutes := openMinutesByHour(r)
	for h := range hoursOver(r) {
		up += int64(min(r.Coverage[h], minutes[h]))
		open += int64(minutes[h])
	}
	return up, open
}

// openMinutesByHour is how many minutes of each hour of the report's day
// its opening hours count: all 60 when they cannot be read.
func openMinutesByHour(r models.Report) [24]int {
	var out [24]int
	date, err := time.Parse(models.DayLayout, r.Day)
	var schedule models.Schedule
	if r.Profile != nil {
		schedule = models.ParseHours(r.Profile.OpeningHours)
	}
	for h := range out {
		out[h] = 60
		if schedule.Known() && err == nil {
			out[h] = schedule.OpenMinutes(date.Add(time.Duration(h) * time.Hour))
		}
	}
	return out
}

// hoursOver is how many hours of the report's day were over when it was
// made: 24 for a final report.
func hoursOver(r models.Report) int {
	if r.Final {
		return 24
	}
	made, err := time.Parse(time.RFC3339, r.GeneratedAt)
	if err != nil {
		return 0
	}
	if loc, err := time.LoadLocation(r.TimeZone); err == nil {
		made = made.In(loc)
	}
	switch day := made.Format(models.DayLayout); {
	case day > r.Day:
		return 24
	case day < r.Day:
		return 0
	}
	return made.Hour()
}

// evidenceColumns are the reports columns of evidence.values, and
// evidenceUpdate how a replacing revision sets them: the first arrival
// stays, and the figures count as changed only when their hash differs.
const (
	evidenceColumns = `figures_hash, first_received_at, changed_at, up_minutes, open_minutes, sig_phone,
		cookieless, off_hours, top_address, burst_checkins, busiest_minute, busiest_at`
	evidenceUpdate = `changed_at = CASE WHEN reports.figures_hash = excluded.figures_hash AND reports.figures_hash <> ''
			THEN reports.changed_at ELSE excluded.changed_at END,
		figures_hash = excluded.figures_hash, up_minutes = excluded.up_minutes, open_minutes = excluded.open_minutes,
		sig_phone = excluded.sig_phone, cookieless = excluded.cookieless, off_hours = excluded.off_hours,
		top_address = excluded.top_address, burst_checkins = excluded.burst_checkins,
		busiest_minute = excluded.busiest_minute, busiest_at = excluded.busiest_at`
)

// values are e's reports columns for a report stored at now.
func (e evidence) values(now int64) []any {
	g := e.signals
	return []any{e.figures, now, now, e.up, e.open, e.phone,
		g.Cookieless, g.OffHours, g.TopAddress, g.BurstCheckIns, g.BusiestMinute, g.BusiestAt}
}
