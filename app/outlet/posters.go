package outlet

import (
	"context"
	"strconv"
	"time"

	"gorm.io/gorm"
)

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
	return s.db.Write.WithContext(ctx).Exec(`INSERT INTO settings(key, value) VALUES ('posters_printed_version', ?), ('posters_printed_at_ms', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		strconv.Itoa(s.Profile().PosterVersion), strconv.FormatInt(s.now().UnixMilli(), 10)).Error
}

// PostersPrinted is the last print, or nil when none was recorded.
func (s *Service) PostersPrinted(ctx context.Context) (*PrintedPosters, error) {
	version, err := s.setting(ctx, "posters_printed_version")
	if err != nil || version == "" {
		return nil, err
	}
	at, err := s.setting(ctx, "posters_printed_at_ms")
	if err != nil {
		return nil, err
	}
	v, _ := strconv.Atoi(version)
	ms, _ := strconv.ParseInt(at, 10, 64)
	return &PrintedPosters{Version: v, At: time.UnixMilli(ms)}, nil
}
