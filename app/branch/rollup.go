package branch

import (
	"gorm.io/gorm"

	"harbor/models"
)

// Month rollups (migration 0003): month_outlets holds each outlet's current
// reports of a month summed. It is kept inside the transaction that stores
// a report, so it never drifts from what the reports add up to: a new day
// is added to it, a replaced day makes the outlet's month be recomputed
// from its reports. Months and quarters across every outlet read it
// instead of each day's rows: a month over 14,000 outlets is 14,000 rows,
// not 420,000. (The network's amenities and categories are summed by day
// instead: rollup_days.go.)

// refreshMonth recomputes outlet's rollup of the month holding day.
func refreshMonth(tx *gorm.DB, outlet, day string) error {
	month := day[:7]
	from, to := monthBounds(month)
	for _, st := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM month_outlets WHERE month = ? AND outlet = ?`, []any{month, outlet}},
		{`INSERT INTO month_outlets(month, outlet, days, checkins, visitors, live, poster, assisted,
			feedback_received, feedback_resolved, activities, activity_participants,
			last_day, last_feedback_open, last_received_at, ` + evidenceSumsMonth + `)
		SELECT substr(day, 1, 7), outlet, COUNT(*), SUM(checkins), SUM(visitors), SUM(live), SUM(poster), SUM(assisted),
			SUM(feedback_received), SUM(feedback_resolved), SUM(activities), SUM(activity_participants),
			MAX(day), 0, MAX(received_at), ` + evidenceSumsDays + `
		FROM reports WHERE outlet = ? AND day >= ? AND day <= ? GROUP BY substr(day, 1, 7), outlet`, []any{outlet, from, to}},
		{`UPDATE month_outlets SET last_feedback_open = (SELECT r.feedback_open FROM reports r
			WHERE r.outlet = month_outlets.outlet AND r.day = month_outlets.last_day)
		WHERE month = ? AND outlet = ?`, []any{month, outlet}},
	} {
		if err := tx.Exec(st.sql, st.args...).Error; err != nil {
			return err
		}
	}
	return nil
}

// monthKey is one outlet's month.
type monthKey struct{ month, outlet string }

// monthDelta is what new days add to one outlet's month.
type monthDelta struct {
	monthKey
	days, checkins, visitors, live, poster, assisted int
	received, resolved, activities, participants     int
	lastDay                                          string
	lastOpen                                         int
	signals                                          SignalTotals
	coverage                                         CoverageTotals
}

// addToMonths brings month_outlets up to date with write, the reports just
// stored: a day new to its outlet's month is added to the month's row (the
// same sums a recount gives); a month in which a day was replaced
// (replaced) is recomputed from its reports by refreshMonth.
func addToMonths(tx *gorm.DB, write, replaced []*pending, now int64) error {
	redo := map[monthKey]string{}
	var redoKeys []monthKey
	for _, p := range replaced {
		k := monthKey{p.r.Day[:7], p.r.Outlet}
		if _, ok := redo[k]; !ok {
			redoKeys = append(redoKeys, k)
		}
		redo[k] = p.r.Day
	}
	deltas := map[monthKey]*monthDelta{}
	var order []*monthDelta
	for _, p := range write {
		k := monthKey{p.r.Day[:7], p.r.Outlet}
		if _, ok := redo[k]; ok {
			continue
		}
		d := deltas[k]
		if d == nil {
			d = &monthDelta{monthKey: k}
			deltas[k] = d
			order = append(order, d)
		}
		d.add(p.r)
		d.addEvidence(p.ev)
	}
	rows := make([][]any, len(order))
	for i, d := range order {
		g, c := d.signals, d.coverage
		rows[i] = []any{d.month, d.outlet, d.days, d.checkins, d.visitors, d.live, d.poster, d.assisted,
			d.received, d.resolved, d.activities, d.participants, d.lastDay, d.lastOpen, now,
			c.DaysKnown, c.UpMinutes, c.OpenMinutes, g.Phone, g.Cookieless, g.OffHours, g.TopAddress, g.BurstCheckIns}
	}
	if err := upsertSums(tx, []upsert{{`month_outlets(month, outlet, days, checkins, visitors, live, poster, assisted,
			feedback_received, feedback_resolved, activities, activity_participants,
			last_day, last_feedback_open, last_received_at, ` + evidenceSumsMonth + `)`, `(month, outlet) DO UPDATE SET
			` + evidenceSumsUpdate + `,
			days = month_outlets.days + excluded.days, checkins = month_outlets.checkins + excluded.checkins,
			visitors = month_outlets.visitors + excluded.visitors, live = month_outlets.live + excluded.live,
			poster = month_outlets.poster + excluded.poster, assisted = month_outlets.assisted + excluded.assisted,
			feedback_received = month_outlets.feedback_received + excluded.feedback_received,
			feedback_resolved = month_outlets.feedback_resolved + excluded.feedback_resolved,
			activities = month_outlets.activities + excluded.activities,
			activity_participants = month_outlets.activity_participants + excluded.activity_participants,
			last_feedback_open = CASE WHEN excluded.last_day > month_outlets.last_day
				THEN excluded.last_feedback_open ELSE month_outlets.last_feedback_open END,
			last_day = CASE WHEN excluded.last_day > month_outlets.last_day
				THEN excluded.last_day ELSE month_outlets.last_day END,
			last_received_at = CASE WHEN excluded.last_received_at > month_outlets.last_received_at
				THEN excluded.last_received_at ELSE month_outlets.last_received_at END`, rows}}); err != nil {
		return err
	}
	for _, k := range redoKeys {
		if err := refreshMonth(tx, k.outlet, redo[k]); err != nil {
			return err
		}
	}
	return nil
}

// add adds one new day's report.
func (d *monthDelta) add(r models.Report) {
	d.days++
	d.checkins += r.Totals.CheckIns
	d.visitors += r.Totals.Visitors
	d.live += r.Channels.Live
	d.poster += r.Channels.Poster
	d.assisted += r.Channels.Assisted
	open := 0
	if r.Feedback != nil {
		d.received += r.Feedback.Received
		d.resolved += r.Feedback.Resolved
		open = r.Feedback.Open
	}
	d.activities += len(r.Activities)
	for _, a := range r.Activities {
		d.participants += a.Participants
	}
	if r.Day > d.lastDay {
		d.lastDay, d.lastOpen = r.Day, open
	}
}

// addEvidence adds one new day's coverage and signals (e, its evidence).
func (d *monthDelta) addEvidence(e evidence) {
	if e.up != nil {
		d.coverage.add(CoverageTotals{DaysKnown: 1, UpMinutes: *e.up, OpenMinutes: *e.open}, 1)
	}
	if e.phone != nil {
		g := e.signals
		d.signals.add(SignalTotals{Phone: int(*e.phone), Cookieless: g.Cookieless, OffHours: g.OffHours,
			TopAddress: g.TopAddress, BurstCheckIns: g.BurstCheckIns}, 1)
	}
}
