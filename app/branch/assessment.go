package branch

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Integrity flags: figures an analyst should ask about before publishing
// (docs/EVIDENCE.md).
const (
	FlagAssistedShare = "assisted_share"       // assisted share far above the network's
	FlagMissingDays   = "missing_days"         // days owed without a report
	FlagReportedLate  = "reported_after_close" // days whose first report arrived after the period closed
	FlagChangedLate   = "changed_after_close"  // days whose figures changed after the period closed
	FlagCoverage      = "coverage"             // days down or partly down
	FlagTopAddress    = "top_address"          // a large share of check-ins from one client address
	FlagCookieless    = "cookieless"           // a large share of check-ins without the visitor cookie
	FlagOffHours      = "off_hours"            // a large share of check-ins outside the opening hours
	FlagBursts        = "bursts"               // a large share of check-ins in minutes of more than BurstLimit
)

// Thresholds of the assisted-share flag: at least AssistedMinCheckIns
// check-ins, a share at least AssistedShareMargin above the network's and
// at least AssistedShareFactor times it.
const (
	AssistedMinCheckIns = 20
	AssistedShareMargin = 0.20
	AssistedShareFactor = 2.0
)

// CloseGrace is how long after its last day a period stays open for the
// final reports of that day; later changes are flagged.
const CloseGrace = 24 * time.Hour

// maxFlagDays bounds the example days a flag lists.
const maxFlagDays = 5

// Flag is one integrity flag of an outlet.
type Flag struct {
	Code string `json:"code"`
	// Share is the outlet's share of the flagged signal (coverage: of its
	// opening hours served), NetworkShare the network's (assisted: the
	// pooled share; other signals: the median of outlets' shares;
	// coverage: the threshold) and Spread the network's robust spread.
	Share        float64  `json:"share,omitempty"`
	NetworkShare float64  `json:"network_share,omitempty"`
	Spread       float64  `json:"network_spread,omitempty"`
	Days         int      `json:"days,omitempty"`      // missing, late, or partly down days
	DaysDown     int      `json:"days_down,omitempty"` // coverage: days down
	Examples     []string `json:"examples,omitempty"`  // the first of those days
	// Day is the outlet-day to look at: the day judged, or the period's
	// day where the signal was strongest.
	Day string `json:"day,omitempty"`
	// Text says in words what was seen and why it matters.
	Text string `json:"text"`
}

// AssessmentRow is one outlet of an assessment report.
type AssessmentRow struct {
	OutletRef
	Status string `json:"status"` // active or revoked
	// State says what the row's figures rest on: OutletActive,
	// OutletNeverReported, OutletNotEnrolled or OutletRevoked.
	State   string `json:"state"`
	Rank    int    `json:"rank"`     // by check-ins; ties share a rank (1, 2, 2, 4)
	DaysDue int    `json:"days_due"` // days it owed a report: from enrollment, days over, and any day it reported
	Totals
	DayStatuses DayCounts `json:"day_statuses"`
	Flags       []Flag    `json:"flags"`
}

// Outlet states of an assessment row.
const (
	OutletActive        = "active"         // enrolled and reporting
	OutletNeverReported = "never_reported" // enrolled, but no report ever arrived
	OutletNotEnrolled   = "not_enrolled"   // registered, never enrolled
	OutletRevoked       = "revoked"
)

// DayCounts count the days of a period by status (see dayStatus).
type DayCounts struct {
	Served      int `json:"served"`
	PartlyDown  int `json:"partly_down"`
	Down        int `json:"down"`
	Unknown     int `json:"coverage_unknown"`
	NotReported int `json:"not_reported"` // of the days due
}

// Assessment is the monthly or quarterly report outlets are assessed on
// (按月通报 / 按季考核): every outlet's figures, the network's amenities and
// categories, totals and integrity flags.
type Assessment struct {
	Period      Period    `json:"period"`
	Through     string    `json:"through"`        // last day counted: the period's end, or yesterday while it runs
	Partial     bool      `json:"partial"`        // the period runs: days after Through are not counted yet
	DaysCounted int       `json:"days_in_period"` // calendar days From..Through
	TimeZone    string    `json:"timezone"`       // of the branch's days; each outlet reports its own local days
	GeneratedAt time.Time `json:"generated_at"`
	ClosesAt    time.Time `json:"closes_at"`
	Closed      bool      `json:"closed"`
	// CoverageThreshold is the share of opening hours a day must be served
	// not to be partly down.
	CoverageThreshold float64         `json:"coverage_threshold"`
	Outlets           []AssessmentRow `json:"outlets"` // most check-ins first
	Totals            Totals          `json:"totals"`
	AssistedRate      float64         `json:"network_assisted_share"`
	Amenities         []CodeTotal     `json:"amenities"`
	Categories        []CodeTotal     `json:"categories"`
	Flagged           int             `json:"flagged_outlets"`
}

// Assessment builds the report of a month or quarter (p) from one snapshot.
func (s *Service) Assessment(ctx context.Context, p Period) (Assessment, error) {
	var a Assessment
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		var err error
		a, err = s.assess(tx, p)
		return err
	})
	return a, err
}

// assess builds the report of p in tx.
func (s *Service) assess(tx *gorm.DB, p Period) (Assessment, error) {
	a := Assessment{Period: p, Through: minDay(p.To, s.Yesterday()), GeneratedAt: s.now().UTC(), Outlets: []AssessmentRow{},
		TimeZone: s.loc.String(), CoverageThreshold: s.threshold()}
	if a.Through < p.From {
		return a, models.Errorf(models.EINVALID, "报告期 %s 尚无完整的一天 / period %s has no whole day yet", p.Label, p.Label)
	}
	a.Partial = a.Through < p.To
	a.DaysCounted = daysBetween(p.From, a.Through) + 1
	end, _ := time.ParseInLocation(models.DayLayout, addDays(p.To, 1), s.loc)
	a.ClosesAt = end.Add(CloseGrace).UTC()
	a.Closed = !s.now().Before(a.ClosesAt)
	if err := s.assessOutlets(tx, &a); err != nil {
		return a, err
	}
	var err error
	if a.Amenities, err = codeSums(tx, "amenities", p.From, a.Through); err != nil {
		return a, err
	}
	a.Categories, err = codeSums(tx, "categories", p.From, a.Through)
	return a, err
}

// periodEvidence is what the flags of a period rest on beyond the sums:
// the outlets that ever reported, the days whose figures arrived after
// the close, and the days short of coverage.
type periodEvidence struct {
	reported     map[string]bool
	reportedLate map[string][]string
	changedLate  map[string][]string
	gaps         map[string][]coverageGap
}

// assessOutlets fills every outlet's row, the totals and the flags.
func (s *Service) assessOutlets(tx *gorm.DB, a *Assessment) error {
	reg, err := registry(tx)
	if err != nil {
		return err
	}
	sums, _, err := s.periodOutlets(tx, a.Period.From, a.Through)
	if err != nil {
		return err
	}
	ev := periodEvidence{reportedLate: map[string][]string{}, changedLate: map[string][]string{}}
	if a.Closed {
		if ev.reportedLate, ev.changedLate, err = lateDays(tx, a.Period, a.ClosesAt); err != nil {
			return err
		}
	}
	if ev.reported, err = everReported(tx); err != nil {
		return err
	}
	if ev.gaps, err = coverageGaps(tx, a.Period.From, a.Through); err != nil {
		return err
	}
	for _, r := range reg {
		t := sums[r.Code]
		if r.Status != StatusActive && t == nil {
			continue
		}
		row, err := s.assessRow(tx, a, r, t, ev)
		if err != nil {
			return err
		}
		a.Totals.add(row.Totals, 1)
		a.Outlets = append(a.Outlets, row)
	}
	a.AssistedRate = a.Totals.AssistedShare()
	if err := s.judgePeriod(tx, a); err != nil {
		return err
	}
	sort.SliceStable(a.Outlets, func(i, j int) bool { return a.Outlets[i].CheckIns > a.Outlets[j].CheckIns })
	for i := range a.Outlets {
		a.Outlets[i].Rank = i + 1
		if i > 0 && a.Outlets[i].CheckIns == a.Outlets[i-1].CheckIns {
			a.Outlets[i].Rank = a.Outlets[i-1].Rank
		}
	}
	return nil
}

// assessRow is one outlet's row with its missing-days, late and coverage
// flags; t is nil when it reported nothing in the period.
func (s *Service) assessRow(tx *gorm.DB, a *Assessment, r regRow, t *Totals, ev periodEvidence) (AssessmentRow, error) {
	row := AssessmentRow{OutletRef: OutletRef{Code: r.Code, Name: r.Name, Group: r.Grp}, Status: r.Status,
		State: outletState(r, ev.reported[r.Code]), Flags: []Flag{}}
	if t != nil {
		row.Totals = *t
	}
	var err error
	if row.DaysDue, err = s.daysOwed(tx, r, row.Days, a); err != nil {
		return row, err
	}
	missing := row.DaysDue - row.Days
	row.DayStatuses = s.dayCounts(row.Totals, ev.gaps[r.Code], missing)
	if missing > 0 {
		row.Flags = append(row.Flags, Flag{Code: FlagMissingDays, Days: missing})
	}
	for _, late := range []struct {
		code string
		days []string
	}{{FlagReportedLate, ev.reportedLate[r.Code]}, {FlagChangedLate, ev.changedLate[r.Code]}} {
		if len(late.days) > 0 {
			row.Flags = append(row.Flags, Flag{Code: late.code, Days: len(late.days),
				Examples: late.days[:min(len(late.days), maxFlagDays)], Day: late.days[0]})
		}
	}
	if f, ok := s.coverageFlag(row.Totals.Coverage, ev.gaps[r.Code]); ok {
		row.Flags = append(row.Flags, f)
	}
	return row, nil
}

// outletState says what an outlet's row rests on.
func outletState(r regRow, reported bool) string {
	switch {
	case r.Status != StatusActive:
		return OutletRevoked
	case !r.Enrolled:
		return OutletNotEnrolled
	case !reported:
		return OutletNeverReported
	}
	return OutletActive
}

// assistedFlag flags an assisted share far above the network's.
func assistedFlag(t Totals, network float64) (Flag, bool) {
	share := t.AssistedShare()
	if t.CheckIns < AssistedMinCheckIns || share < network+AssistedShareMargin || share < AssistedShareFactor*network {
		return Flag{}, false
	}
	return Flag{Code: FlagAssistedShare, Share: share, NetworkShare: network}, true
}

// daysOwed counts the days an outlet owed a report in the period: from
// its enrollment to its revocation, days over, and any other day of the
// period it reported (a report made before enrollment counts with the days
// owed it belongs to). reported is its reports of the whole period.
func (s *Service) daysOwed(tx *gorm.DB, r regRow, reported int, a *Assessment) (int, error) {
	inDue, err := s.reportedDue(tx, r, a.Period.From, a.Through, reported)
	return s.daysDue(r, a.Period.From, a.Through) + reported - inDue, err
}

// everReported lists the outlets with any report.
func everReported(tx *gorm.DB) (map[string]bool, error) {
	var codes []string
	if err := tx.Raw(`SELECT code FROM outlets o WHERE EXISTS (SELECT 1 FROM reports r WHERE r.outlet = o.code)`).
		Scan(&codes).Error; err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, nil
}

// lateDays lists, per outlet, the days of p whose first report arrived
// after closesAt (reported), and the days reported before it whose figures
// changed after it (changed). The month rollups' newest receipt time picks
// the outlets to look at, so a quiet month costs one scan of its rollups.
// Reports stored before the branch kept first arrivals and changes
// (migration 0007) take them from the receipts and their own arrival.
func lateDays(tx *gorm.DB, p Period, closesAt time.Time) (reported, changed map[string][]string, err error) {
	reported, changed = map[string][]string{}, map[string][]string{}
	at := millis(closesAt)
	for m := p.From[:7]; m <= p.To[:7]; m = nextMonth(m) {
		from, to := monthBounds(m)
		var rows []struct {
			Outlet, Day    string
			First, Changed int64
		}
		if err := tx.Raw(`SELECT r.outlet, r.day,
				COALESCE(r.first_received_at, (SELECT MIN(rr.received_at) FROM report_receipts rr
					WHERE rr.outlet = r.outlet AND rr.day = r.day AND rr.outcome IN ('stored', 'replaced')), r.received_at) AS first,
				COALESCE(r.changed_at, r.received_at) AS changed
			FROM reports r
			JOIN month_outlets m ON m.outlet = r.outlet AND m.month = ?
			WHERE m.last_received_at >= ? AND r.day >= ? AND r.day <= ? AND r.received_at >= ?
			ORDER BY r.outlet, r.day`, m, at, maxDay(from, p.From), minDay(to, p.To), at).Scan(&rows).Error; err != nil {
			return nil, nil, err
		}
		for _, r := range rows {
			switch {
			case r.First >= at:
				reported[r.Outlet] = append(reported[r.Outlet], r.Day)
			case r.Changed >= at:
				changed[r.Outlet] = append(changed[r.Outlet], r.Day)
			}
		}
	}
	return reported, changed, nil
}
