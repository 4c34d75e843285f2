package branch

import (
	"context"
	"database/sql"
	"sort"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// TrendDays is how many days the overview's trend covers.
const TrendDays = 30

// SilentAfter is how long without contact makes an enrolled outlet stand out.
const SilentAfter = 24 * time.Hour

// DayTotals are one day's figures added up over outlets. Visitors add each
// outlet's unique visitors of that day (a worker seen at two outlets counts
// twice); they are never added across days.
type DayTotals struct {
	Reports      int                   `json:"reports"`
	CheckIns     int                   `json:"checkins"`
	Visitors     int                   `json:"visitors"`
	Channels     models.ChannelCounts  `json:"channels"`
	Feedback     models.FeedbackCounts `json:"feedback"`
	Activities   int                   `json:"activities"`
	Participants int                   `json:"participants"`
}

// OverviewOutlet is one outlet's row of the overview.
type OverviewOutlet struct {
	Code          string               `json:"code"`
	Name          string               `json:"name"`
	Group         string               `json:"group"`
	Status        string               `json:"status"`
	Enrolled      bool                 `json:"enrolled"`
	Reported      bool                 `json:"reported"`
	Revision      int                  `json:"revision,omitempty"`
	Final         bool                 `json:"final"`
	ReceivedAt    *time.Time           `json:"received_at,omitempty"`
	CheckIns      int                  `json:"checkins"`
	Visitors      int                  `json:"visitors"`
	Channels      models.ChannelCounts `json:"channels"`
	FeedbackOpen  int                  `json:"feedback_open"`
	Activities    int                  `json:"activities"`
	MonthCheckIns int                  `json:"month_checkins"`
	LastContactAt *time.Time           `json:"last_contact_at,omitempty"`
	// Missing: enrolled and active, but no report for the day.
	Missing bool `json:"missing"`
	// Silent: enrolled and active, but no contact for more than a day.
	Silent bool `json:"silent"`
	// DayStatus is how the day was served (served, partly_down, down,
	// not_reported, coverage_unknown), Coverage the share of its opening
	// hours served, and Flags what the branch should ask about the day.
	DayStatus string   `json:"day_status"`
	Coverage  *float64 `json:"coverage,omitempty"`
	Flags     []Flag   `json:"flags,omitempty"`
}

// OverviewCode is one amenity's or category's figures of the day and of
// the month to date.
type OverviewCode struct {
	Code             string `json:"code"`
	DayCheckIns      int    `json:"day_checkins"`
	DayVisitors      int    `json:"day_visitors,omitempty"`
	MonthCheckIns    int    `json:"month_checkins"`
	MonthVisitorDays int    `json:"month_visitor_days,omitempty"`
}

// DayPoint is one day of the trend.
type DayPoint struct {
	Day      string `json:"day"`
	Reports  int    `json:"reports"`
	CheckIns int    `json:"checkins"`
	Visitors int    `json:"visitors"` // that day's uniques, added over outlets
}

// Overview is the console's front page: one day across every outlet, and
// the month up to that day.
type Overview struct {
	Day         string    `json:"day"`
	MonthToDate Period    `json:"month_to_date"`
	GeneratedAt time.Time `json:"generated_at"`
	Registered  int       `json:"registered"` // active outlets
	Enrolled    int       `json:"enrolled"`   // active outlets with a key
	Reporting   int       `json:"reporting"`  // outlets with a report for the day
	Attention   int       `json:"attention"`  // missing, silent or flagged outlets
	DayStatuses DayCounts `json:"day_statuses"`
	// CoverageThreshold is the share of opening hours a day must be served
	// not to be partly down.
	CoverageThreshold float64          `json:"coverage_threshold"`
	DayTotals         DayTotals        `json:"day_totals"`
	MonthTotals       Totals           `json:"month_totals"`
	Outlets           []OverviewOutlet `json:"outlets"` // most check-ins first
	Amenities         []OverviewCode   `json:"amenities"`
	Categories        []OverviewCode   `json:"categories"`
	Trend             []DayPoint       `json:"trend"` // the TrendDays days up to the day
}

// Overview computes the overview of day (YYYY-MM-DD) from one snapshot.
func (s *Service) Overview(ctx context.Context, day string) (Overview, error) {
	if _, err := models.ParseDay(day); err != nil {
		return Overview{}, err
	}
	ov := Overview{Day: day, GeneratedAt: s.now().UTC(), CoverageThreshold: s.threshold(),
		MonthToDate: Period{Kind: "month_to_date", Label: day[:7], From: day[:7] + "-01", To: day}}
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		for _, step := range []func(*gorm.DB, *Overview) error{s.overviewOutlets, s.overviewCodes, overviewTrend} {
			if err := step(tx, &ov); err != nil {
				return err
			}
		}
		return nil
	})
	return ov, err
}

// dayReportRow is one outlet's current report of a day, as summed columns.
type dayReportRow struct {
	Outlet, Day          string
	Revision             int
	Final                bool
	ReceivedAt           int64
	CheckIns             int `gorm:"column:checkins"`
	Visitors             int
	Live, Poster         int
	Assisted             int
	FeedbackReceived     int
	FeedbackResolved     int
	FeedbackOpen         int
	Activities           int
	ActivityParticipants int
	DayEvidence
}

// overviewOutlets fills the outlet table, the day's and the month's totals.
func (s *Service) overviewOutlets(tx *gorm.DB, ov *Overview) error {
	reg, err := registry(tx)
	if err != nil {
		return err
	}
	var day []dayReportRow
	if err := eachRow(tx, func(rs *sql.Rows) error {
		var r dayReportRow
		err := rs.Scan(append([]any{&r.Outlet, &r.Revision, &r.Final, &r.ReceivedAt, &r.CheckIns, &r.Visitors, &r.Live, &r.Poster,
			&r.Assisted, &r.FeedbackReceived, &r.FeedbackResolved, &r.FeedbackOpen, &r.Activities, &r.ActivityParticipants},
			r.DayEvidence.dest()...)...)
		day = append(day, r)
		return err
	}, `SELECT outlet, revision, final, received_at, checkins, visitors, live, poster, assisted,
		feedback_received, feedback_resolved, feedback_open, activities, activity_participants, `+dayEvidenceColumns+`
		FROM reports WHERE day = ?`, ov.Day); err != nil {
		return err
	}
	flags := s.judgeDay(ov.Day, judgedDays(day))
	month, _, err := s.periodOutlets(tx, ov.MonthToDate.From, ov.Day)
	if err != nil {
		return err
	}
	byCode := map[string]dayReportRow{}
	for _, r := range day {
		byCode[r.Outlet] = r
		ov.DayTotals.add(r)
	}
	for _, t := range month {
		ov.MonthTotals.add(*t, 1)
	}
	silentBefore := s.now().Add(-SilentAfter).UnixMilli()
	for _, o := range reg {
		r, reported := byCode[o.Code]
		if o.Status != StatusActive && !reported {
			continue
		}
		row := s.overviewRow(o, r, reported, silentBefore)
		row.Flags = flags[o.Code]
		if m := month[o.Code]; m != nil {
			row.MonthCheckIns = m.CheckIns
		}
		ov.count(row, o)
		ov.Outlets = append(ov.Outlets, row)
	}
	sort.SliceStable(ov.Outlets, func(i, j int) bool { return ov.Outlets[i].CheckIns > ov.Outlets[j].CheckIns })
	return nil
}

// overviewRow builds one outlet's row.
func (s *Service) overviewRow(o regRow, r dayReportRow, reported bool, silentBefore int64) OverviewOutlet {
	row := OverviewOutlet{Code: o.Code, Name: o.Name, Group: o.Grp, Status: o.Status, Enrolled: o.Enrolled,
		Reported: reported, LastContactAt: fromMillis(o.LastContactAt)}
	if reported {
		at := time.UnixMilli(r.ReceivedAt).UTC()
		row.Revision, row.Final, row.ReceivedAt = r.Revision, r.Final, &at
		row.CheckIns, row.Visitors, row.FeedbackOpen, row.Activities = r.CheckIns, r.Visitors, r.FeedbackOpen, r.Activities
		row.Channels = models.ChannelCounts{Live: r.Live, Poster: r.Poster, Assisted: r.Assisted}
	}
	if o.expected() {
		row.Missing = !reported
		row.Silent = o.LastContactAt == nil || *o.LastContactAt < silentBefore
	}
	row.DayStatus = dayStatus(reported, r.UpMinutes, r.OpenMinutes, s.threshold())
	row.Coverage = coverageShare(r.UpMinutes, r.OpenMinutes)
	return row
}

// judgedDays are a day's report rows as judgeDay needs them.
func judgedDays(rows []dayReportRow) []judgedDay {
	out := make([]judgedDay, len(rows))
	for i, r := range rows {
		out[i] = newJudgedDay(r.Outlet, r.CheckIns, r.Live, r.Poster, r.Assisted, r.DayEvidence)
	}
	return out
}

// count tallies an outlet row into the overview's counters.
func (ov *Overview) count(row OverviewOutlet, o regRow) {
	if o.Status == StatusActive {
		ov.Registered++
		if o.Enrolled {
			ov.Enrolled++
		}
	}
	if row.Reported {
		ov.Reporting++
	}
	if row.NeedsAttention() {
		ov.Attention++
	}
	if o.expected() || row.Reported {
		ov.DayStatuses.count(row.DayStatus)
	}
}

// NeedsAttention reports whether the outlet has no report for the day, has
// been silent, or the day is flagged.
func (row OverviewOutlet) NeedsAttention() bool {
	return row.Missing || row.Silent || len(row.Flags) > 0
}

// count counts one day of the given status.
func (c *DayCounts) count(status string) {
	switch status {
	case DayServed:
		c.Served++
	case DayPartlyDown:
		c.PartlyDown++
	case DayDown:
		c.Down++
	case DayUnknown:
		c.Unknown++
	case DayNotReported:
		c.NotReported++
	}
}

// add adds one outlet's report of the day.
func (t *DayTotals) add(r dayReportRow) {
	t.Reports++
	t.CheckIns += r.CheckIns
	t.Visitors += r.Visitors
	t.Channels.Live += r.Live
	t.Channels.Poster += r.Poster
	t.Channels.Assisted += r.Assisted
	t.Feedback.Received += r.FeedbackReceived
	t.Feedback.Resolved += r.FeedbackResolved
	t.Feedback.Open += r.FeedbackOpen
	t.Activities += r.Activities
	t.Participants += r.ActivityParticipants
}
