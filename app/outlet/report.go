package outlet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// UnspecifiedCategory is the category code for check-ins where the worker
// chose none, so that categories always add up to the total.
const UnspecifiedCategory = "unspecified"

// BuildReport computes the report document for a local day. Revision and
// GeneratedAt are left for Snapshot to fill. The check-in figures come from
// day_counts, which triggers keep in step with every stored check-in
// (migration 0004), so the cost does not grow with the day's check-ins.
func (s *Service) BuildReport(ctx context.Context, day string) (models.Report, error) {
	return s.buildReport(ctx, day, func(q *gorm.DB) ([]dayCount, error) {
		var counts []dayCount
		err := q.Raw(sqlDayCounts, day, day, day, BurstLimit).Scan(&counts).Error
		return counts, err
	})
}

// RecountReport is BuildReport counted straight from the check-in rows,
// ignoring day_counts: slow on a busy day, and the reference the counters
// are tested against.
func (s *Service) RecountReport(ctx context.Context, day string) (models.Report, error) {
	return s.buildReport(ctx, day, func(q *gorm.DB) ([]dayCount, error) {
		var counts []dayCount
		if err := q.Raw(sqlRecount, day, day, day, day, day, day, day, day, day).Scan(&counts).Error; err != nil {
			return nil, err
		}
		minutes, err := s.recountMinutes(q, day)
		return append(counts, minutes...), err
	})
}

// dayCount is one figure of a day: see migrations/0004_day_counts.sql.
type dayCount struct {
	Kind, Code string
	CheckIns   int
	Visitors   int
}

const (
	// The minute counters (up to 1,440 a day) are summed up in SQL: the
	// busiest minute, and the check-ins in minutes over the burst limit.
	sqlDayCounts = `SELECT kind, code, check_ins, visitors FROM day_counts WHERE day = ? AND kind <> 'minute'
		UNION ALL SELECT 'minute', code, check_ins, 0 FROM (SELECT code, check_ins FROM day_counts
			WHERE day = ? AND kind = 'minute' ORDER BY check_ins DESC, CAST(code AS INTEGER) LIMIT 1)
		UNION ALL SELECT 'burst', '', SUM(check_ins), 0 FROM day_counts
			WHERE day = ? AND kind = 'minute' AND check_ins > ? HAVING COUNT(*) > 0
		ORDER BY 1, 2`

	visitorsSQL = `COUNT(DISTINCT visitor) + COALESCE(SUM(CASE WHEN visitor IS NULL THEN people END), 0)`
	sqlRecount  = `SELECT 'total' AS kind, '' AS code, SUM(people) AS check_ins, ` + visitorsSQL + ` AS visitors
			FROM checkins WHERE day = ? HAVING COUNT(*) > 0
		UNION ALL SELECT 'amenity', amenity, SUM(people), ` + visitorsSQL + ` FROM checkin_amenities WHERE day = ? GROUP BY amenity
		UNION ALL SELECT 'category', category, SUM(people), 0 FROM checkins WHERE day = ? GROUP BY category
		UNION ALL SELECT 'channel', channel, SUM(people), 0 FROM checkins WHERE day = ? GROUP BY channel
		UNION ALL SELECT 'hour', CAST(hour AS TEXT), SUM(people), 0 FROM checkins WHERE day = ? GROUP BY hour
		UNION ALL SELECT 'signal', 'cookieless', SUM(people), 0 FROM checkins
			WHERE day = ? AND channel <> 'assisted' AND flags & 1 HAVING COUNT(*) > 0
		UNION ALL SELECT 'signal', 'off_hours', SUM(people), 0 FROM checkins
			WHERE day = ? AND channel <> 'assisted' AND flags & 2 HAVING COUNT(*) > 0
		UNION ALL SELECT 'signal', 'gateway', SUM(people), 0 FROM checkins
			WHERE day = ? AND flags & 4 HAVING COUNT(*) > 0
		UNION ALL SELECT 'signal', 'top_address', MAX(n), 0 FROM (SELECT COUNT(*) AS n FROM checkins
			WHERE day = ? AND client IS NOT NULL GROUP BY client) HAVING COUNT(*) > 0
		ORDER BY 1, 2`
)

// buildReport fills a day's report from the dayCount rows counts reads.
func (s *Service) buildReport(ctx context.Context, day string, counts func(*gorm.DB) ([]dayCount, error)) (models.Report, error) {
	if _, err := models.ParseDay(day); err != nil {
		return models.Report{}, err
	}
	p := s.Profile()
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	r := models.Report{
		Schema: models.ReportSchema, Outlet: p.Code, Day: day, TimeZone: s.cfg.TimeZone,
		Final: day < today, Amenities: []models.AmenityCount{}, Categories: []models.CategoryCount{},
	}
	q := s.db.Read.WithContext(ctx)
	rows, err := counts(q)
	if err != nil {
		return r, err
	}
	var ev evidenceCounts
	for _, c := range rows {
		if !ev.add(c) {
			addCount(&r, c)
		}
	}
	r.Paths = ev.paths(r.Channels)
	r.Profile = s.reportProfile(q)
	if err := s.addEvidence(q, &r, ev); err != nil {
		return r, err
	}
	return r, addStaffFigures(q, &r)
}

// addCount puts one figure into its place in r.
func addCount(r *models.Report, c dayCount) {
	switch c.Kind {
	case "total":
		r.Totals = models.ReportTotals{CheckIns: c.CheckIns, Visitors: c.Visitors}
	case "amenity":
		r.Amenities = append(r.Amenities, models.AmenityCount{Code: c.Code, CheckIns: c.CheckIns, Visitors: c.Visitors})
	case "category":
		code := c.Code
		if code == "" {
			code = UnspecifiedCategory
		}
		r.Categories = append(r.Categories, models.CategoryCount{Code: code, CheckIns: c.CheckIns})
	case "channel":
		switch c.Code {
		case models.ChannelLive:
			r.Channels.Live = c.CheckIns
		case models.ChannelPoster:
			r.Channels.Poster = c.CheckIns
		case models.ChannelAssisted:
			r.Channels.Assisted = c.CheckIns
		}
	case "hour":
		if h, err := strconv.Atoi(c.Code); err == nil && h >= 0 && h < 24 {
			r.Hours[h] = c.CheckIns
		}
	}
}

// Snapshot builds the day's report and stores it as a new revision when its
// content differs from the latest stored one; otherwise it returns the
// latest. Revisions therefore grow exactly when a day's figures change. A
// new revision enters the outbox (outcome pending) in the same transaction
// and supersedes older revisions of that day not yet delivered.
func (s *Service) Snapshot(ctx context.Context, day string) (models.Report, error) {
	r, _, err := s.snapshot(ctx, day, false, 0)
	return r, err
}

// snapshot is Snapshot; force stores a new revision even when the content
// is unchanged (the branch holds other figures), numbered above both the
// latest stored one and above. created tells whether a revision was stored.
func (s *Service) snapshot(ctx context.Context, day string, force bool, above int) (r models.Report, created bool, err error) {
	if r, err = s.BuildReport(ctx, day); err != nil {
		return r, false, err
	}
	hash, err := contentHash(r)
	if err != nil {
		return r, false, err
	}
	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last struct {
			Revision int
			Hash     string
			Body     string
		}
		if err := tx.Raw(`SELECT revision, hash, body FROM report_revisions WHERE day = ?
			ORDER BY revision DESC LIMIT 1`, day).Scan(&last).Error; err != nil {
			return err
		}
		if last.Hash == hash && !force {
			return json.Unmarshal([]byte(last.Body), &r)
		}
		r.Revision = max(last.Revision, above) + 1
		r.GeneratedAt = s.now().In(s.cfg.Location).Format(time.RFC3339)
		body, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.Exec(`UPDATE report_revisions SET outcome = 'superseded'
			WHERE day = ? AND outcome = 'pending'`, day).Error; err != nil {
			return err
		}
		created = true
		return tx.Exec(`INSERT INTO report_revisions(day, revision, hash, final, body, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, day, r.Revision, hash, r.Final, string(body), s.now().UnixMilli()).Error
	})
	return r, created, err
}

// contentHash hashes the figures of r, leaving out revision and generation time.
func contentHash(r models.Report) (string, error) {
	r.Revision, r.GeneratedAt = 0, ""
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// TodayTotals returns today's running figures, for the lobby display.
func (s *Service) TodayTotals(ctx context.Context) (models.ReportTotals, error) {
	day, _ := models.LocalDay(s.now(), s.cfg.Location)
	return dayTotals(s.db.Read.WithContext(ctx), day)
}

// dayTotals returns a day's check-ins and unique visitors from day_counts.
// Assisted visits have no visitor id: each of their people counts as one
// visitor.
func dayTotals(q *gorm.DB, day string) (models.ReportTotals, error) {
	var t models.ReportTotals
	err := q.Raw(`SELECT check_ins, visitors FROM day_counts WHERE day = ? AND kind = 'total' AND code = ''`, day).Scan(&t).Error
	return t, err
}
