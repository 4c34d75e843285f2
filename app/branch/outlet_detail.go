package branch

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// MaxReceipts bounds the report history an outlet page lists.
const MaxReceipts = 200

// OutletDay is one day of an outlet's page; a day without a report is zeros.
type OutletDay struct {
	Day          string                `json:"day"`
	Reported     bool                  `json:"reported"`
	Revision     int                   `json:"revision,omitempty"`
	Final        bool                  `json:"final"`
	ReceivedAt   *time.Time            `json:"received_at,omitempty"`
	CheckIns     int                   `json:"checkins"`
	Visitors     int                   `json:"visitors"` // unique visitors of that day
	Channels     models.ChannelCounts  `json:"channels"`
	Feedback     models.FeedbackCounts `json:"feedback"`
	Activities   int                   `json:"activities"`
	Participants int                   `json:"participants"`
	// BeforeEnrollment marks a day before the outlet joined the branch:
	// it owed no report then.
	BeforeEnrollment bool `json:"before_enrollment,omitempty"`
	// Status is how the day was served, Coverage the share of its opening
	// hours served, Signals the report's signals (nil: none).
	Status   string      `json:"day_status"`
	Coverage *float64    `json:"coverage,omitempty"`
	Signals  *DaySignals `json:"signals,omitempty"`
	// Paths split the phone check-ins by the way they came (local, or
	// through the public gateway); nil when the report has none.
	Paths *models.PathCounts `json:"paths,omitempty"`
}

// Receipt is one push of a report and how the branch answered it.
type Receipt struct {
	Day        string    `json:"day"`
	Revision   int       `json:"revision"`
	Outcome    string    `json:"outcome"` // stored, replaced, duplicate, stale, conflict
	ReceivedAt time.Time `json:"received_at"`
}

// ActivityRow is one education activity an outlet reported.
type ActivityRow struct {
	Outlet       string `json:"outlet"`
	Name         string `json:"name,omitempty"`
	Day          string `json:"day"`
	Theme        string `json:"theme"`
	Venue        string `json:"venue"`
	Participants int    `json:"participants"`
}

// OutletDetail is one outlet's figures over its last days.
type OutletDetail struct {
	Outlet      Outlet          `json:"outlet"`
	Profile     *DirectoryEntry `json:"profile,omitempty"`
	Period      Period          `json:"period"`
	Days        []OutletDay     `json:"days"`
	Totals      Totals          `json:"totals"`
	Amenities   []CodeTotal     `json:"amenities"`
	Categories  []CodeTotal     `json:"categories"`
	Activities  []ActivityRow   `json:"activities"`
	Receipts    []Receipt       `json:"receipts"` // newest first
	DaysDue     int             `json:"days_due"`
	DueReported int             `json:"due_reported"` // days due with a report
	MissingDays []string        `json:"missing_days"`
}

// OutletDetail returns outlet code's figures of the n days up to today.
func (s *Service) OutletDetail(ctx context.Context, code string, n int) (OutletDetail, error) {
	if n < 1 || n > MaxRangeDays {
		return OutletDetail{}, models.Errorf(models.EINVALID, "天数需为 1-%d / days: 1-%d", MaxRangeDays, MaxRangeDays)
	}
	to := s.Today()
	p, _ := RangePeriod(addDays(to, 1-n), to)
	d := OutletDetail{Period: p, Activities: []ActivityRow{}, Receipts: []Receipt{}, MissingDays: []string{}}
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		reg, err := registryRow(tx, code)
		if err != nil {
			return err
		}
		d.Outlet = reg.outlet()
		if err := s.outletDays(tx, &d); err != nil {
			return err
		}
		if err := outletPaths(tx, &d); err != nil {
			return err
		}
		if err := outletCodes(tx, &d); err != nil {
			return err
		}
		if err := outletHistory(tx, &d); err != nil {
			return err
		}
		s.outletMissing(reg, &d)
		return nil
	})
	if err != nil {
		return d, err
	}
	entries, err := s.directoryEntries(ctx)
	for i := range entries {
		if entries[i].Code == code {
			e := entries[i]
			d.Profile = &e
		}
	}
	return d, err
}

// registryRow returns one registered outlet, or ENOTFOUND.
func registryRow(tx *gorm.DB, code string) (regRow, error) {
	var rows []regRow
	if err := tx.Raw(`SELECT code, name, grp, status, public_key IS NOT NULL AS enrolled,
		enrolled_at, revoked_at, last_contact_at FROM outlets WHERE code = ?`, code).Scan(&rows).Error; err != nil {
		return regRow{}, err
	}
	if len(rows) == 0 {
		return regRow{}, models.Errorf(models.ENOTFOUND, "没有网点 %q / no outlet %q is registered", truncate(code, 40), truncate(code, 40))
	}
	return rows[0], nil
}

// outlet is r as the outlet pages show it.
func (r regRow) outlet() Outlet {
	return Outlet{Code: r.Code, Name: r.Name, Group: r.Grp, Status: r.Status, Enrolled: r.Enrolled,
		EnrolledAt: fromMillis(r.EnrolledAt), RevokedAt: fromMillis(r.RevokedAt), LastContactAt: fromMillis(r.LastContactAt)}
}

// outletDays fills every day of the period and the totals.
func (s *Service) outletDays(tx *gorm.DB, d *OutletDetail) error {
	var rows []dayReportRow
	if err := tx.Raw(`SELECT day, outlet, revision, final, received_at, checkins, visitors, live, poster, assisted,
		feedback_received, feedback_resolved, feedback_open, activities, activity_participants, `+dayEvidenceColumns+`
		FROM reports WHERE outlet = ? AND day >= ? AND day <= ?`, d.Outlet.Code, d.Period.From, d.Period.To).Scan(&rows).Error; err != nil {
		return err
	}
	byDay, evidence := map[string]OutletDay{}, map[string]Totals{}
	for _, r := range rows {
		at := time.UnixMilli(r.ReceivedAt).UTC()
		byDay[r.Day] = OutletDay{Day: r.Day, Reported: true, Revision: r.Revision, Final: r.Final, ReceivedAt: &at,
			CheckIns: r.CheckIns, Visitors: r.Visitors,
			Channels:   models.ChannelCounts{Live: r.Live, Poster: r.Poster, Assisted: r.Assisted},
			Feedback:   models.FeedbackCounts{Received: r.FeedbackReceived, Resolved: r.FeedbackResolved, Open: r.FeedbackOpen},
			Activities: r.Activities, Participants: r.ActivityParticipants,
			Status: dayStatus(true, r.UpMinutes, r.OpenMinutes, s.threshold()), Coverage: coverageShare(r.UpMinutes, r.OpenMinutes),
			Signals: r.signals()}
		cov := CoverageTotals{}
		if r.UpMinutes != nil {
			cov = CoverageTotals{DaysKnown: 1, UpMinutes: *r.UpMinutes, OpenMinutes: *r.OpenMinutes}
		}
		evidence[r.Day] = Totals{Signals: r.signalTotals(), Coverage: cov}
	}
	for day := d.Period.From; day <= d.Period.To; day = addDays(day, 1) {
		od, ok := byDay[day]
		if !ok {
			od = OutletDay{Day: day, Status: DayNotReported}
		} else {
			d.Totals.add(Totals{Days: 1, CheckIns: od.CheckIns, VisitorDays: od.Visitors, Channels: od.Channels,
				Feedback:   models.FeedbackCounts{Received: od.Feedback.Received, Resolved: od.Feedback.Resolved},
				Activities: od.Activities, Participants: od.Participants}, 1)
			d.Totals.add(evidence[day], 1)
			d.Totals.Feedback.Open = od.Feedback.Open // open at the end of the latest reported day
		}
		d.Days = append(d.Days, od)
	}
	return nil
}

// outletPaths fills the days' paths from the bodies of the reports that
// carry them (protocol v1 gained the field; no column holds it).
func outletPaths(tx *gorm.DB, d *OutletDetail) error {
	var rows []struct{ Day, Body string }
	if err := tx.Raw(`SELECT day, body FROM reports WHERE outlet = ? AND day >= ? AND day <= ? AND body LIKE '%"paths"%'`,
		d.Outlet.Code, d.Period.From, d.Period.To).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		var rep struct {
			Paths *models.PathCounts `json:"paths"`
		}
		if json.Unmarshal([]byte(r.Body), &rep) != nil || rep.Paths == nil {
			continue
		}
		for i := range d.Days {
			if d.Days[i].Day == r.Day {
				d.Days[i].Paths = rep.Paths
			}
		}
	}
	return nil
}

// outletCodes fills the outlet's amenity and category totals.
func outletCodes(tx *gorm.DB, d *OutletDetail) error {
	for _, t := range []struct {
		table, key, visitors string
		dest                 *[]CodeTotal
	}{
		{"report_amenities", "amenity", "visitors", &d.Amenities},
		{"report_categories", "category", "0", &d.Categories},
	} {
		*t.dest = []CodeTotal{}
		if err := tx.Raw(`SELECT `+t.key+` AS code, SUM(checkins) AS check_ins, SUM(`+t.visitors+`) AS visitor_days
			FROM `+t.table+` WHERE outlet = ? AND day >= ? AND day <= ? GROUP BY `+t.key,
			d.Outlet.Code, d.Period.From, d.Period.To).Scan(t.dest).Error; err != nil {
			return err
		}
		sortCodes(*t.dest)
	}
	return nil
}

// outletHistory fills the activities and the report history.
func outletHistory(tx *gorm.DB, d *OutletDetail) error {
	if err := tx.Raw(`SELECT outlet, day, theme, venue, participants FROM report_activities
		WHERE outlet = ? AND day >= ? AND day <= ? ORDER BY day DESC, seq`,
		d.Outlet.Code, d.Period.From, d.Period.To).Scan(&d.Activities).Error; err != nil {
		return err
	}
	var rows []struct {
		Day, Outcome string
		Revision     int
		ReceivedAt   int64
	}
	if err := tx.Raw(`SELECT day, revision, outcome, received_at FROM report_receipts
		WHERE outlet = ? AND day >= ? AND day <= ? ORDER BY received_at DESC, id DESC LIMIT ?`,
		d.Outlet.Code, d.Period.From, d.Period.To, MaxReceipts).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		d.Receipts = append(d.Receipts, Receipt{Day: r.Day, Revision: r.Revision, Outcome: r.Outcome,
			ReceivedAt: time.UnixMilli(r.ReceivedAt).UTC()})
	}
	return nil
}

// outletMissing lists the days the outlet owed a report and sent none,
// and marks the days before it joined.
func (s *Service) outletMissing(reg regRow, d *OutletDetail) {
	d.DaysDue = s.daysDue(reg, d.Period.From, d.Period.To)
	first := "9999-12-31" // never enrolled: every day is before
	if reg.EnrolledAt != nil {
		first = s.localDay(*reg.EnrolledAt)
	}
	for i := range d.Days {
		day := &d.Days[i]
		day.BeforeEnrollment = day.Day < first
		if !day.BeforeEnrollment && day.Day <= s.Yesterday() && !day.Reported && d.DaysDue > 0 &&
			(reg.RevokedAt == nil || day.Day < s.localDay(*reg.RevokedAt)) {
			d.MissingDays = append(d.MissingDays, day.Day)
		}
	}
	d.DueReported = d.DaysDue - len(d.MissingDays)
}
