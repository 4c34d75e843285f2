package outlet

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// settingPosterReplacedAt is when the poster version was last bumped
// (unix ms).
const settingPosterReplacedAt = "poster_replaced_at"

// ReplacePosters bumps the poster version: every printed code of the old
// version then answers "replaced" and counts nothing. It returns the new version.
func (s *Service) ReplacePosters(ctx context.Context) (int, error) {
	var version int
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var cur string
		if err := tx.Raw(`SELECT value FROM settings WHERE key = 'poster_version'`).Scan(&cur).Error; err != nil {
			return err
		}
		n, err := strconv.Atoi(cur)
		if err != nil {
			return err
		}
		version = n + 1
		// When: a gateway's scan of the old poster made before it still counts.
		if err := setSetting(tx, settingPosterReplacedAt, strconv.FormatInt(s.now().UnixMilli(), 10)); err != nil {
			return err
		}
		return setSetting(tx, "poster_version", strconv.Itoa(version))
	})
	if err != nil {
		return 0, err
	}
	return version, s.reloadProfile(ctx)
}

// PrintedPosters says which poster version was last printed and when.
type PrintedPosters struct {
	Version int
	At      time.Time
}

// RecordPostersPrinted notes that posters or stickers of the current
// version were printed (their printable page opened, or 'harbor outlet qr
// --png' written), so that the self-check can tell printed posters that a
// "Replace posters" has since made stale.
func (s *Service) RecordPostersPrinted(ctx context.Context) error {
	return s.setObserved(ctx, "posters_printed_version", int64(s.Profile().PosterVersion), s.now().UnixMilli())
}

// PostersPrinted is the last print, or nil when none was recorded.
func (s *Service) PostersPrinted(ctx context.Context) (*PrintedPosters, error) {
	version, at, ok, err := s.observed(ctx, "posters_printed_version")
	if !ok {
		return nil, err
	}
	return &PrintedPosters{Version: int(version), At: time.UnixMilli(at)}, nil
}
