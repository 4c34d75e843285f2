package gateway

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// Purge deletes the items each outlet acknowledged that were received more
// than the retention window ago, and returns how many. Items never
// acknowledged stay however old they are: an outlet offline for a month
// gets every one when it returns. The window lets an outlet restored from
// an older backup pull again what its database lost.
func (s *Service) Purge(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-s.retention()).UnixMilli()
	var deleted int64
	for _, o := range s.stations.all() {
		var through int64
		err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			var last *int64
			if err := tx.Raw(`SELECT MAX(i.id) FROM inbox i JOIN outlets o ON o.code = i.outlet
				WHERE i.outlet = ? AND i.id <= o.acked AND i.received_at < ?`, o.code, cutoff).Scan(&last).Error; err != nil || last == nil {
				return err
			}
			res := tx.Exec(`DELETE FROM inbox WHERE outlet = ? AND id <= ?`, o.code, *last)
			if res.Error != nil {
				return res.Error
			}
			deleted += res.RowsAffected
			through = *last
			return tx.Exec(`UPDATE outlets SET purged = MAX(purged, ?) WHERE code = ?`, *last, o.code).Error
		})
		if err != nil {
			return deleted, err
		}
		o.purged.Store(max(o.purged.Load(), through))
	}
	return deleted, nil
}

// RunPurge purges at start and then every hour until ctx is done.
func (s *Service) RunPurge(ctx context.Context) {
	for {
		if n, err := s.Purge(ctx); err != nil && ctx.Err() == nil {
			slog.Error("gateway: purge", "err", err)
		} else if n > 0 {
			slog.Info("gateway: purged acknowledged items past the retention window", "items", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}
