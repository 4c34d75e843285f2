package outlet

import (
	"context"
	"strconv"

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
