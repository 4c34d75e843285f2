package branch

import (
	"database/sql"
	"sort"

	"gorm.io/gorm"

	"harbor/models"
)

// Totals are figures added up over days (and outlets). VisitorDays add
// each outlet's unique visitors of each day: a worker who comes on five
// days counts five times, so they are never called unique visitors.
type Totals struct {
	Days         int                   `json:"days_reported"`
	CheckIns     int                   `json:"checkins"`
	VisitorDays  int                   `json:"visitor_days"`
	Channels     models.ChannelCounts  `json:"channels"`
	Feedback     models.FeedbackCounts `json:"feedback"` // open: at the end of each outlet's last reported day
	Activities   int                   `json:"activities"`
	Participants int                   `json:"participants"`
	Signals      SignalTotals          `json:"signals"`
	Coverage     CoverageTotals        `json:"coverage"`
}

// add adds o to t, times sign.
func (t *Totals) add(o Totals, sign int) {
	t.Days += sign * o.Days
	t.CheckIns += sign * o.CheckIns
	t.VisitorDays += sign * o.VisitorDays
	t.Channels.Live += sign * o.Channels.Live
	t.Channels.Poster += sign * o.Channels.Poster
	t.Channels.Assisted += sign * o.Channels.Assisted
	t.Feedback.Received += sign * o.Feedback.Received
	t.Feedback.Resolved += sign * o.Feedback.Resolved
	t.Feedback.Open += sign * o.Feedback.Open
	t.Activities += sign * o.Activities
	t.Participants += sign * o.Participants
	t.Signals.add(o.Signals, sign)
	t.Coverage.add(o.Coverage, sign)
}

// AssistedShare is the share of check-ins recorded by staff, 0..1.
func (t Totals) AssistedShare() float64 {
	if t.CheckIns == 0 {
		return 0
	}
	return float64(t.Channels.Assisted) / float64(t.CheckIns)
}

// CodeTotal is one amenity's or worker category's figures added up.
type CodeTotal struct {
	Code        string `json:"code"`
	CheckIns    int    `json:"checkins"`
	VisitorDays int    `json:"visitor_days,omitempty"`
}

// sumRow is one scanned row of summed report columns.
type sumRow struct {
	Outlet               string
	Days                 int
	CheckIns             int `gorm:"column:checkins"`
	Visitors             int
	Live, Poster         int
	Assisted             int
	FeedbackReceived     int
	FeedbackResolved     int
	Activities           int
	ActivityParticipants int
	Signals              SignalTotals
	Coverage             CoverageTotals
}

func (r sumRow) totals() Totals {
	return Totals{Days: r.Days, CheckIns: r.CheckIns, VisitorDays: r.Visitors,
		Channels:   models.ChannelCounts{Live: r.Live, Poster: r.Poster, Assisted: r.Assisted},
		Feedback:   models.FeedbackCounts{Received: r.FeedbackReceived, Resolved: r.FeedbackResolved},
		Activities: r.Activities, Participants: r.ActivityParticipants, Signals: r.Signals, Coverage: r.Coverage}
}

const (
	monthOutletsSQL = `SELECT outlet, days, checkins, visitors, live, poster, assisted, feedback_received,
		feedback_resolved, activities, activity_participants, ` + evidenceSumsMonth + ` FROM month_outlets WHERE month = ?`
	daysOutletsSQL = `SELECT outlet, COUNT(*) AS days, SUM(checkins) AS checkins, SUM(visitors) AS visitors,
		SUM(live) AS live, SUM(poster) AS poster, SUM(assisted) AS assisted,
		SUM(feedback_received) AS feedback_received, SUM(feedback_resolved) AS feedback_resolved,
		SUM(activities) AS activities, SUM(activity_participants) AS activity_participants, ` + evidenceSumsDays + `
		FROM reports WHERE day >= ? AND day <= ? GROUP BY outlet`
)

// outletSums adds up each outlet's figures over from..to (feedback open
// and LastDay are left to lastOpen).
func outletSums(tx *gorm.DB, from, to, last string) (map[string]*Totals, error) {
	out := map[string]*Totals{}
	for _, t := range plan(from, to, last) {
		query, args := daysOutletsSQL, []any{t.from, t.to}
		if t.month != "" {
			query, args = monthOutletsSQL, []any{t.month}
		}
		if err := eachRow(tx, func(rs *sql.Rows) error {
			var r sumRow
			if err := rs.Scan(append([]any{&r.Outlet, &r.Days, &r.CheckIns, &r.Visitors, &r.Live, &r.Poster, &r.Assisted,
				&r.FeedbackReceived, &r.FeedbackResolved, &r.Activities, &r.ActivityParticipants},
				evidenceDest(&r.Signals, &r.Coverage)...)...); err != nil {
				return err
			}
			if out[r.Outlet] == nil {
				out[r.Outlet] = &Totals{}
			}
			out[r.Outlet].add(r.totals(), t.sign)
			return nil
		}, query, args...); err != nil {
			return nil, err
		}
	}
	for code, t := range out {
		if t.Days == 0 {
			delete(out, code) // only taken-away days of that outlet
		}
	}
	return out, nil
}

// codeTables name the day rollups of amenities and categories, their key
// column and whether they count visitors.
var codeTables = map[string]struct{ table, key, visitors string }{
	"amenities":  {"day_amenities", "amenity", "visitors"},
	"categories": {"day_categories", "category", "0"},
}

// codeSums adds up the amenity ("amenities") or category ("categories")
// figures of every outlet over from..to, most used first, from the day
// rollups: a row per day and code, whatever the number of outlets.
func codeSums(tx *gorm.DB, kind, from, to string) ([]CodeTotal, error) {
	t := codeTables[kind]
	var rows []CodeTotal
	if err := tx.Raw(`SELECT `+t.key+` AS code, CAST(SUM(checkins) AS BIGINT) AS check_ins,
		CAST(SUM(`+t.visitors+`) AS BIGINT) AS visitor_days
		FROM `+t.table+` WHERE day >= ? AND day <= ? GROUP BY `+t.key, from, to).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]CodeTotal, 0, len(rows))
	for _, c := range rows {
		if c.CheckIns != 0 || c.VisitorDays != 0 {
			out = append(out, c)
		}
	}
	sortCodes(out)
	return out, nil
}

// sortCodes puts the most used first, then by code.
func sortCodes(rows []CodeTotal) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].CheckIns != rows[j].CheckIns {
			return rows[i].CheckIns > rows[j].CheckIns
		}
		return rows[i].Code < rows[j].Code
	})
}

// lastOpen finds, for each outlet, its latest reported day in from..to and
// the feedback still open at the end of it, latest month first. A month's
// rollup row knows the month's latest reported day: when that day falls
// within from..to, it is the answer; only when some outlet reported after
// the part of the month asked for are that part's days read.
func lastOpen(tx *gorm.DB, from, to, last string) (map[string]dayOpen, error) {
	out := map[string]dayOpen{}
	keep := func(r dayOpen) {
		if _, seen := out[r.Outlet]; !seen {
			out[r.Outlet] = r
		}
	}
	for m := minDay(to, last)[:7]; m >= from[:7]; m = prevMonth(m) {
		mFrom, mTo := monthBounds(m)
		a, b := maxDay(from, mFrom), minDay(minDay(to, mTo), last)
		var rows []dayOpen
		after := false // an outlet reported a day after b
		if err := eachRow(tx, func(rs *sql.Rows) error {
			var r dayOpen
			if err := rs.Scan(&r.Outlet, &r.Day, &r.Open); err != nil {
				return err
			}
			after = after || r.Day > b
			if r.Day >= a && r.Day <= b {
				rows = append(rows, r)
			}
			return nil
		}, `SELECT outlet, last_day AS day, last_feedback_open AS open FROM month_outlets WHERE month = ?`, m); err != nil {
			return nil, err
		}
		if !after {
			for _, r := range rows {
				keep(r)
			}
			continue
		}
		if err := eachRow(tx, func(rs *sql.Rows) error {
			var r dayOpen
			err := rs.Scan(&r.Outlet, &r.Day, &r.Open)
			keep(r)
			return err
		}, `SELECT r.outlet, r.day, r.feedback_open AS open FROM reports r
			JOIN (SELECT outlet, MAX(day) AS day FROM reports WHERE day >= ? AND day <= ? GROUP BY outlet) m
			ON m.outlet = r.outlet AND m.day = r.day`, a, b); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// dayOpen is an outlet's latest reported day and its open feedback.
type dayOpen struct {
	Outlet, Day string
	Open        int
}

// prevMonth returns the month before a YYYY-MM month.
func prevMonth(m string) string {
	from, _ := monthBounds(m)
	return models.AddDays(from, -1)[:7]
}
