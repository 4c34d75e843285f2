package branch

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Figures are a day's counts, of one outlet or summed over outlets. Summed
// visitors add each outlet's unique visitors: a worker seen at two outlets
// counts at both.
type Figures struct {
	CheckIns     int                    `json:"checkins"`
	Visitors     int                    `json:"visitors"`
	Channels     models.ChannelCounts   `json:"channels"`
	Amenities    []models.AmenityCount  `json:"amenities"`
	Categories   []models.CategoryCount `json:"categories"`
	Hours        [24]int                `json:"hours"`
	Feedback     models.FeedbackCounts  `json:"feedback"`
	Activities   int                    `json:"activities"`
	Participants int                    `json:"activity_participants"`
}

// OutletSummary is one outlet's current report for the day.
type OutletSummary struct {
	Outlet     string    `json:"outlet"`
	Name       string    `json:"name"`
	Group      string    `json:"group"`
	Revision   int       `json:"revision"`
	Final      bool      `json:"final"`
	ReceivedAt time.Time `json:"received_at"`
	Figures
	// DayStatus is how the day was served, Coverage the share of its
	// opening hours served, Signals the report's signals (nil: none), and
	// Flags what the branch should ask about the day.
	DayStatus string      `json:"day_status"`
	Coverage  *float64    `json:"coverage,omitempty"`
	Signals   *DaySignals `json:"signals,omitempty"`
	Flags     []Flag      `json:"flags,omitempty"`
}

// Summary is one local day across the branch: each reporting outlet, the
// enrolled active outlets that have not reported, and the totals.
type Summary struct {
	Day     string          `json:"day"`
	Outlets []OutletSummary `json:"outlets"`
	Missing []string        `json:"missing"`
	Reports int             `json:"reports"`
	Total   Figures         `json:"total"`
	// DayStatuses count the outlets by how the day was served; the missing
	// ones are not reported.
	DayStatuses DayCounts `json:"day_statuses"`
}

// figureRow is one row of a per-amenity, per-category or per-hour query.
type figureRow struct {
	Outlet   string
	Code     string
	CheckIns int `gorm:"column:checkins"`
	Visitors int
}

// Summary returns the figures of day, per outlet and summed in SQL, read
// from one consistent snapshot.
func (s *Service) Summary(ctx context.Context, day string) (Summary, error) {
	if _, err := models.ParseDay(day); err != nil {
		return Summary{}, err
	}
	sum := Summary{Day: day, Outlets: []OutletSummary{}, Missing: []string{}}
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		if err := s.perOutlet(tx, day, &sum); err != nil {
			return err
		}
		if err := totals(tx, day, &sum); err != nil {
			return err
		}
		if err := tx.Raw(`SELECT code FROM outlets o WHERE status = ? AND public_key IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.outlet = o.code AND r.day = ?)
			ORDER BY code`, StatusActive, day).Scan(&sum.Missing).Error; err != nil {
			return err
		}
		for _, o := range sum.Outlets {
			sum.DayStatuses.count(o.DayStatus)
		}
		sum.DayStatuses.NotReported = len(sum.Missing)
		return nil
	})
	return sum, err
}

// reportColumns are the summable columns of reports, in Figures order.
const reportColumns = `checkins, visitors, live, poster, assisted,
	feedback_received, feedback_resolved, feedback_open, activities, activity_participants`

// sumColumns are reportColumns summed over a day's reports. The columns are
// INTEGER on both backends, so PostgreSQL's SUM is a BIGINT (over BIGINT it
// would be NUMERIC) and scans straight into Go ints.
const sumColumns = `COUNT(*) AS n, COALESCE(SUM(checkins), 0) AS checkins, COALESCE(SUM(visitors), 0) AS visitors,
	COALESCE(SUM(live), 0) AS live, COALESCE(SUM(poster), 0) AS poster, COALESCE(SUM(assisted), 0) AS assisted,
	COALESCE(SUM(feedback_received), 0) AS feedback_received, COALESCE(SUM(feedback_resolved), 0) AS feedback_resolved,
	COALESCE(SUM(feedback_open), 0) AS feedback_open, COALESCE(SUM(activities), 0) AS activities,
	COALESCE(SUM(activity_participants), 0) AS activity_participants`

// reportRow is the scanned form of reportColumns.
type reportRow struct {
	Outlet, Name, Grp      string
	Revision, N            int
	Final                  bool
	ReceivedAt             int64
	CheckIns               int `gorm:"column:checkins"`
	Visitors               int
	Live, Poster, Assisted int
	FeedbackReceived       int
	FeedbackResolved       int
	FeedbackOpen           int
	Activities             int
	ActivityParticipants   int
	DayEvidence
}

func (r reportRow) figures() Figures {
	return Figures{CheckIns: r.CheckIns, Visitors: r.Visitors,
		Channels:   models.ChannelCounts{Live: r.Live, Poster: r.Poster, Assisted: r.Assisted},
		Feedback:   models.FeedbackCounts{Received: r.FeedbackReceived, Resolved: r.FeedbackResolved, Open: r.FeedbackOpen},
		Activities: r.Activities, Participants: r.ActivityParticipants,
		Amenities: []models.AmenityCount{}, Categories: []models.CategoryCount{}}
}

// perOutlet fills sum.Outlets with each outlet's report, figure rows,
// status and flags.
func (s *Service) perOutlet(tx *gorm.DB, day string, sum *Summary) error {
	var rows []reportRow
	if err := tx.Raw(`SELECT r.outlet, o.name, o.grp, r.revision, r.final, r.received_at, `+reportColumns+`,
		`+dayEvidenceColumns+` FROM reports r JOIN outlets o ON o.code = r.outlet WHERE r.day = ? ORDER BY r.outlet`, day).
		Scan(&rows).Error; err != nil {
		return err
	}
	judged := make([]judgedDay, len(rows))
	for i, r := range rows {
		judged[i] = newJudgedDay(r.Outlet, r.CheckIns, r.Live, r.Poster, r.Assisted, r.DayEvidence)
	}
	flags := s.judgeDay(day, judged)
	index := map[string]*Figures{}
	for _, r := range rows {
		sum.Outlets = append(sum.Outlets, OutletSummary{Outlet: r.Outlet, Name: r.Name, Group: r.Grp,
			Revision: r.Revision, Final: r.Final, ReceivedAt: time.UnixMilli(r.ReceivedAt).UTC(), Figures: r.figures(),
			DayStatus: dayStatus(true, r.UpMinutes, r.OpenMinutes, s.threshold()),
			Coverage:  coverageShare(r.UpMinutes, r.OpenMinutes), Signals: r.signals(), Flags: flags[r.Outlet]})
	}
	for i := range sum.Outlets {
		index[sum.Outlets[i].Outlet] = &sum.Outlets[i].Figures
	}
	return figureRows(tx, day, false, func(table string, r figureRow) {
		if f := index[r.Outlet]; f != nil {
			f.add(table, r)
		}
	})
}

// totals fills sum.Total and sum.Reports with sums over every outlet.
func totals(tx *gorm.DB, day string, sum *Summary) error {
	var t reportRow
	if err := tx.Raw(`SELECT `+sumColumns+` FROM reports WHERE day = ?`, day).Scan(&t).Error; err != nil {
		return err
	}
	sum.Reports, sum.Total = t.N, t.figures()
	return figureRows(tx, day, true, func(table string, r figureRow) { sum.Total.add(table, r) })
}

// figureTables are the per-key figure tables of a report; key becomes code.
var figureTables = []struct {
	table, key string
	visitors   bool
}{
	{"report_amenities", "amenity", true},
	{"report_categories", "category", false},
	{"report_hours", "hour", false},
}

// figureRows reads a day's rows of every figure table, per outlet or, when
// grouped, summed over outlets, and hands each to fn.
func figureRows(tx *gorm.DB, day string, grouped bool, fn func(table string, r figureRow)) error {
	for _, t := range figureTables {
		visitors := "0"
		if t.visitors {
			visitors = "visitors"
		}
		q := fmt.Sprintf(`SELECT outlet, %s AS code, checkins, %s AS visitors FROM %s WHERE day = ? ORDER BY outlet, %s`,
			t.key, visitors, t.table, t.key)
		if grouped {
			q = fmt.Sprintf(`SELECT %s AS code, SUM(checkins) AS checkins, SUM(%s) AS visitors FROM %s
				WHERE day = ? GROUP BY %s ORDER BY %s`, t.key, visitors, t.table, t.key, t.key)
		}
		var rows []figureRow
		if err := tx.Raw(q, day).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			fn(t.table, r)
		}
	}
	return nil
}

// add adds one figure row of table to f.
func (f *Figures) add(table string, r figureRow) {
	switch table {
	case "report_amenities":
		f.Amenities = append(f.Amenities, models.AmenityCount{Code: r.Code, CheckIns: r.CheckIns, Visitors: r.Visitors})
	case "report_categories":
		f.Categories = append(f.Categories, models.CategoryCount{Code: r.Code, CheckIns: r.CheckIns})
	case "report_hours":
		if h, err := strconv.Atoi(r.Code); err == nil && h >= 0 && h < 24 {
			f.Hours[h] += r.CheckIns
		}
	}
}
