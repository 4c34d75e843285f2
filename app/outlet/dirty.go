package outlet

import "gorm.io/gorm"

// MarkDirty records, inside the caller's transaction, that day's figures
// changed, so the reporter snapshots it again. Every write that changes a
// day's report (check-ins, assisted visits, feedback, activities) calls it.
func MarkDirty(tx *gorm.DB, day string) error {
	return tx.Exec(`INSERT INTO report_dirty(day, gen) VALUES (?, 1)
		ON CONFLICT(day) DO UPDATE SET gen = report_dirty.gen + 1`, day).Error
}

type dirtyDay struct {
	Day string
	Gen int64
}

// dirtyDays lists the days marked dirty, oldest first.
func (s *Service) dirtyDays(tx *gorm.DB) ([]dirtyDay, error) {
	var out []dirtyDay
	err := tx.Raw(`SELECT day, gen FROM report_dirty ORDER BY day`).Scan(&out).Error
	return out, err
}

// clearDirty forgets a dirty mark unless the day changed again meanwhile.
func clearDirty(tx *gorm.DB, d dirtyDay) error {
	return tx.Exec(`DELETE FROM report_dirty WHERE day = ? AND gen = ?`, d.Day, d.Gen).Error
}
