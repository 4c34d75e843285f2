package branch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"harbor/app/branch/scoring"
	"harbor/models"
)

// SchemeVersion is a saved version of the scoring scheme and its entry in
// the change log: who saved it, when, and what it changed.
type SchemeVersion struct {
	scoring.Scheme
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	Changes   []string  `json:"changes"`
}

// Schemes lists every saved version, newest first; without any, the
// built-in default (version 0) is in force.
func (s *Service) Schemes(ctx context.Context) ([]SchemeVersion, error) {
	var rows []schemeRow
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT version, body, created_by, created_at, changes
		FROM scoring_schemes ORDER BY version DESC`).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]SchemeVersion, len(rows))
	for i, r := range rows {
		v, err := r.version()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// LatestScheme is the newest saved version, or the default: what the
// editor starts from.
func (s *Service) LatestScheme(ctx context.Context) (scoring.Scheme, error) {
	return schemeWhere(s.db.Read.WithContext(ctx), `1 = 1 ORDER BY version DESC`)
}

// SchemeFor is the scheme a month (YYYY-MM) is scored with: of the saved
// versions effective from that month or before, the one with the latest
// effective month (the newest version of it), else the default. A version
// thus holds from its month until a later month's version takes over.
func (s *Service) SchemeFor(ctx context.Context, month string) (scoring.Scheme, error) {
	return schemeFor(s.db.Read.WithContext(ctx), month)
}

func schemeFor(tx *gorm.DB, month string) (scoring.Scheme, error) {
	return schemeWhere(tx, `effective_from <= ? ORDER BY effective_from DESC, version DESC`, month)
}

// schemeWhere is the first saved version by where (a condition and its
// order), else the default.
func schemeWhere(tx *gorm.DB, where string, args ...any) (scoring.Scheme, error) {
	var rows []schemeRow
	if err := tx.Raw(`SELECT version, body, created_by, created_at, changes FROM scoring_schemes
		WHERE `+where+` LIMIT 1`, args...).Scan(&rows).Error; err != nil {
		return scoring.Scheme{}, err
	}
	if len(rows) == 0 {
		return scoring.DefaultScheme(), nil
	}
	v, err := rows[0].version()
	return v.Scheme, err
}

// SaveScheme stores sc as the next version, saved by who, with what it
// changes from the version in force for its first month until now. It is refused when invalid,
// and when it would take effect in a month whose bulletin (or whose
// quarter's) is published: a published period keeps the scheme it was
// scored with. Nothing is stored on any error.
func (s *Service) SaveScheme(ctx context.Context, sc scoring.Scheme, who string) (SchemeVersion, error) {
	if err := sc.Validate(); err != nil {
		return SchemeVersion{}, err
	}
	v := SchemeVersion{Scheme: sc, CreatedBy: who, CreatedAt: s.now().UTC()}
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var published []string
		if err := tx.Raw(`SELECT period FROM bulletins WHERE status = 'published' AND period_to >= ?
			ORDER BY period_to DESC LIMIT 1`, sc.EffectiveFrom+"-01").Scan(&published).Error; err != nil {
			return err
		}
		if len(published) > 0 {
			return models.Errorf(models.ECONFLICT, "%s 的通报已发布，新方案不能从 %s 起生效：请先撤回，或选更晚的月份 / "+
				"the bulletin of %s is published: a scheme cannot take effect from %s; withdraw it first, or choose a later month",
				published[0], sc.EffectiveFrom, published[0], sc.EffectiveFrom)
		}
		prev, err := schemeFor(tx, sc.EffectiveFrom)
		if err != nil {
			return err
		}
		if err := tx.Raw(`SELECT COALESCE(MAX(version), 0) + 1 FROM scoring_schemes`).Scan(&v.Version).Error; err != nil {
			return err
		}
		v.Changes = scoring.Changes(prev, v.Scheme)
		if len(v.Changes) == 0 {
			return models.Errorf(models.EINVALID, "与 %s 生效的 v%d 相比没有变化 / nothing changes from version %d, in force in %s",
				sc.EffectiveFrom, prev.Version, prev.Version, sc.EffectiveFrom)
		}
		body, _ := json.Marshal(v.Scheme)
		changes, _ := json.Marshal(v.Changes)
		return tx.Exec(`INSERT INTO scoring_schemes(version, effective_from, body, created_by, created_at, changes)
			VALUES (?, ?, ?, ?, ?, ?)`, v.Version, sc.EffectiveFrom, string(body), who, millis(v.CreatedAt), string(changes)).Error
	})
	if err != nil {
		return SchemeVersion{}, asConflict(err, "另一位管理员刚刚保存了方案，请刷新后再试 / another admin saved a scheme just now: reload and try again")
	}
	return v, nil
}

// asConflict turns the unique-key violation of a concurrent write
// (PostgreSQL) into a conflict saying what happened.
func asConflict(err error, message string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return models.Errorf(models.ECONFLICT, "%s", message)
	}
	return err
}

// schemeRow is one stored version.
type schemeRow struct {
	Version   int
	Body      string
	CreatedBy string
	CreatedAt int64
	Changes   string
}

func (r schemeRow) version() (SchemeVersion, error) {
	v := SchemeVersion{CreatedBy: r.CreatedBy, CreatedAt: time.UnixMilli(r.CreatedAt).UTC()}
	if err := json.Unmarshal([]byte(r.Body), &v.Scheme); err != nil {
		return v, fmt.Errorf("scheme version %d: %w", r.Version, err)
	}
	if err := json.Unmarshal([]byte(r.Changes), &v.Changes); err != nil {
		return v, fmt.Errorf("scheme version %d changes: %w", r.Version, err)
	}
	v.Version = r.Version
	return v, nil
}
