package outlet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// UnspecifiedCategory is the category code for check-ins where the worker
// chose none, so that categories always add up to the total.
const UnspecifiedCategory = "unspecified"

// BuildReport computes the report document for a local day from the stored
// check-ins. Revision and GeneratedAt are left for Snapshot to fill.
func (s *Service) BuildReport(ctx context.Context, day string) (models.Report, error) {
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

	var err error
	if r.Totals, err = dayTotals(q, day); err != nil {
		return r, err
	}

	if err := q.Raw(`SELECT amenity AS code, SUM(people) AS check_ins,
		COUNT(DISTINCT visitor) + COALESCE(SUM(CASE WHEN visitor IS NULL THEN people END), 0) AS visitors
		FROM checkin_amenities WHERE day = ? GROUP BY amenity ORDER BY amenity`, day).Scan(&r.Amenities).Error; err != nil {
		return r, err
	}

	var groups []struct {
		Kind, Code string
		N          int
	}
	if err := q.Raw(`SELECT 'category' AS kind, category AS code, SUM(people) AS n FROM checkins WHERE day = ? GROUP BY category
		UNION ALL SELECT 'channel', channel, SUM(people) FROM checkins WHERE day = ? GROUP BY channel
		UNION ALL SELECT 'hour', CAST(hour AS TEXT), SUM(people) FROM checkins WHERE day = ? GROUP BY hour
		ORDER BY 1, 2`, day, day, day).Scan(&groups).Error; err != nil {
		return r, err
	}
	for _, g := range groups {
		switch g.Kind {
		case "category":
			code := g.Code
			if code == "" {
				code = UnspecifiedCategory
			}
			r.Categories = append(r.Categories, models.CategoryCount{Code: code, CheckIns: g.N})
		case "channel":
			switch g.Code {
			case models.ChannelLive:
				r.Channels.Live = g.N
			case models.ChannelPoster:
				r.Channels.Poster = g.N
			case models.ChannelAssisted:
				r.Channels.Assisted = g.N
			}
		case "hour":
			var h int
			for _, ch := range g.Code {
				h = h*10 + int(ch-'0')
			}
			if h >= 0 && h < 24 {
				r.Hours[h] = g.N
			}
		}
	}
	return r, addStaffFigures(q, &r)
}

// Snapshot builds the day's report and stores it as a new revision when its
// content differs from the latest stored one; otherwise it returns the
// latest. Revisions therefore grow exactly when a day's figures change. A
// new revision enters the outbox (outcome pending) in the same transaction
// and supersedes older revisions of that day not yet delivered.
func (s *Service) Snapshot(ctx context.Context, day string) (models.Report, error) {
	r, _, err := s.snapshot(ctx, day, false)
	return r, err
}

// snapshot is Snapshot; force stores a new revision even when the content
// is unchanged (after the branch answered "conflict"). created tells whether
// a revision was stored.
func (s *Service) snapshot(ctx context.Context, day string, force bool) (r models.Report, created bool, err error) {
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
		r.Revision = last.Revision + 1
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

// dayTotals counts a day's check-ins and unique visitors. Assisted visits
// have no visitor id: each of their people counts as one visitor.
func dayTotals(q *gorm.DB, day string) (models.ReportTotals, error) {
	var t models.ReportTotals
	err := q.Raw(`SELECT COALESCE(SUM(people), 0) AS check_ins,
		COUNT(DISTINCT visitor) + COALESCE(SUM(CASE WHEN visitor IS NULL THEN people END), 0) AS visitors
		FROM checkins WHERE day = ?`, day).Scan(&t).Error
	return t, err
}
