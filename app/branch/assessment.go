package branch

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Integrity flags: figures an analyst should ask about before publishing.
const (
	FlagAssistedShare = "assisted_share"      // assisted share far above the network's
	FlagMissingDays   = "missing_days"        // days owed without a report
	FlagRevisedLate   = "revised_after_close" // figures that changed after the period closed
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
	Code         string   `json:"code"`
	Share        float64  `json:"share,omitempty"`         // assisted_share: the outlet's
	NetworkShare float64  `json:"network_share,omitempty"` // assisted_share: the network's
	Days         int      `json:"days,omitempty"`          // missing or late days
	Examples     []string `json:"examples,omitempty"`      // the first of those days
}

// AssessmentRow is one outlet of an assessment report.
type AssessmentRow struct {
	OutletRef
	Status  string `json:"status"`
	DaysDue int    `json:"days_due"` // days it owed a report: from enrollment, days over
	Totals
	Flags []Flag `json:"flags"`
}

// Assessment is the monthly or quarterly report outlets are assessed on
// (按月通报 / 按季考核): every outlet's figures, the network's amenities and
// categories, totals and integrity flags.
type Assessment struct {
	Period       Period          `json:"period"`
	Through      string          `json:"through"`        // last day counted: the period's end, or yesterday while it runs
	DaysCounted  int             `json:"days_in_period"` // calendar days From..Through
	GeneratedAt  time.Time       `json:"generated_at"`
	ClosesAt     time.Time       `json:"closes_at"`
	Closed       bool            `json:"closed"`
	Outlets      []AssessmentRow `json:"outlets"` // most check-ins first
	Totals       Totals          `json:"totals"`
	AssistedRate float64         `json:"network_assisted_share"`
	Amenities    []CodeTotal     `json:"amenities"`
	Categories   []CodeTotal     `json:"categories"`
	Flagged      int             `json:"flagged_outlets"`
}

// Assessment builds the report of a month or quarter (p) from one snapshot.
func (s *Service) Assessment(ctx context.Context, p Period) (Assessment, error) {
	a := Assessment{Period: p, Through: minDay(p.To, s.Yesterday()), GeneratedAt: s.now().UTC(), Outlets: []AssessmentRow{}}
	if a.Through < p.From {
		return a, models.Errorf(models.EINVALID, "报告期 %s 尚无完整的一天 / period %s has no whole day yet", p.Label, p.Label)
	}
	a.DaysCounted = daysBetween(p.From, a.Through) + 1
	end, _ := time.ParseInLocation(models.DayLayout, addDays(p.To, 1), s.loc)
	a.ClosesAt = end.Add(CloseGrace).UTC()
	a.Closed = !s.now().Before(a.ClosesAt)
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		if err := s.assessOutlets(tx, &a); err != nil {
			return err
		}
		var err error
		if a.Amenities, err = codeSums(tx, "amenities", p.From, a.Through); err != nil {
			return err
		}
		a.Categories, err = codeSums(tx, "categories", p.From, a.Through)
		return err
	})
	return a, err
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
	late := map[string][]string{}
	if a.Closed {
		if late, err = lateDays(tx, a.Period, a.ClosesAt); err != nil {
			return err
		}
	}
	for _, r := range reg {
		t := sums[r.Code]
		if r.Status != StatusActive && t == nil {
			continue
		}
		row, err := s.assessRow(tx, a, r, t, late[r.Code])
		if err != nil {
			return err
		}
		a.Totals.add(row.Totals, 1)
		a.Outlets = append(a.Outlets, row)
	}
	a.AssistedRate = a.Totals.AssistedShare()
	for i := range a.Outlets {
		if f, ok := assistedFlag(a.Outlets[i].Totals, a.AssistedRate); ok {
			a.Outlets[i].Flags = append([]Flag{f}, a.Outlets[i].Flags...)
		}
		if len(a.Outlets[i].Flags) > 0 {
			a.Flagged++
		}
	}
	sort.SliceStable(a.Outlets, func(i, j int) bool { return a.Outlets[i].CheckIns > a.Outlets[j].CheckIns })
	return nil
}

// assessRow is one outlet's row with its missing-days and late flags; t
// is nil when it reported nothing in the period.
func (s *Service) assessRow(tx *gorm.DB, a *Assessment, r regRow, t *Totals, late []string) (AssessmentRow, error) {
	row := AssessmentRow{OutletRef: OutletRef{Code: r.Code, Name: r.Name, Group: r.Grp}, Status: r.Status,
		DaysDue: s.daysDue(r, a.Period.From, a.Through), Flags: []Flag{}}
	if t != nil {
		row.Totals = *t
	}
	missing, err := s.missingDays(tx, r, row, a)
	if err != nil {
		return row, err
	}
	if missing > 0 {
		row.Flags = append(row.Flags, Flag{Code: FlagMissingDays, Days: missing})
	}
	if len(late) > 0 {
		row.Flags = append(row.Flags, Flag{Code: FlagRevisedLate, Days: len(late), Examples: late[:min(len(late), maxFlagDays)]})
	}
	return row, nil
}

// assistedFlag flags an assisted share far above the network's.
func assistedFlag(t Totals, network float64) (Flag, bool) {
	share := t.AssistedShare()
	if t.CheckIns < AssistedMinCheckIns || share < network+AssistedShareMargin || share < AssistedShareFactor*network {
		return Flag{}, false
	}
	return Flag{Code: FlagAssistedShare, Share: share, NetworkShare: network}, true
}

// missingDays counts the days an outlet owed a report and sent none.
func (s *Service) missingDays(tx *gorm.DB, r regRow, row AssessmentRow, a *Assessment) (int, error) {
	reported, err := s.reportedDue(tx, r, a.Period.From, a.Through, row.Days)
	return max(0, row.DaysDue-reported), err
}

// lateDays lists, per outlet, the days of p whose current figures arrived
// after closesAt. The month rollups' newest receipt time picks the outlets
// to look at, so a quiet month costs one scan of its rollups.
func lateDays(tx *gorm.DB, p Period, closesAt time.Time) (map[string][]string, error) {
	out := map[string][]string{}
	at := millis(closesAt)
	for m := p.From[:7]; m <= p.To[:7]; m = nextMonth(m) {
		from, to := monthBounds(m)
		var rows []struct{ Outlet, Day string }
		if err := tx.Raw(`SELECT r.outlet, r.day FROM reports r
			JOIN month_outlets m ON m.outlet = r.outlet AND m.month = ?
			WHERE m.last_received_at >= ? AND r.day >= ? AND r.day <= ? AND r.received_at >= ?
			ORDER BY r.outlet, r.day`, m, at, maxDay(from, p.From), minDay(to, p.To), at).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.Outlet] = append(out[r.Outlet], r.Day)
		}
	}
	return out, nil
}
