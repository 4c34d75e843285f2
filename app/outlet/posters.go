package outlet

import (
	"context"
	"strconv"

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
