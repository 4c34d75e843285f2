package outlet

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Heartbeat records when the outlet serves: while the server runs it marks
// every minute in the uptime table (migration 0010), and reports carry the
// minutes served in each hour (coverage). A stopped server marks nothing,
// so its down time is never mistaken for a day without visitors; restarts
// resume from the database.
type Heartbeat struct {
	Svc *Service
	// Every is how often it beats (1 min).
	Every time.Duration
	// MaxGap is the longest time between two beats still taken as served
	// throughout (2 min): a longer gap, or the clock going back, was a stop
	// or a clock jump, and only the beat's own minute is marked.
	MaxGap time.Duration

	last time.Time // the previous beat of this process
}

// NewHeartbeat returns a heartbeat with the default timings.
func NewHeartbeat(svc *Service) *Heartbeat {
	return &Heartbeat{Svc: svc, Every: time.Minute, MaxGap: 2 * time.Minute}
}

// Run beats now and every Every until ctx is cancelled, then once more.
func (h *Heartbeat) Run(ctx context.Context) {
	ticker := time.NewTicker(h.Every)
	defer ticker.Stop()
	for {
		if err := h.Beat(context.Background()); err != nil {
			slog.Error("heartbeat", "err", err)
		}
		select {
		case <-ctx.Done():
			if err := h.Beat(context.Background()); err != nil {
				slog.Error("heartbeat", "err", err)
			}
			return
		case <-ticker.C:
		}
	}
}

// Beat marks the minutes since the previous beat (when it is recent) up to
// now as served. A past day it touches (at midnight) is marked changed, so
// that its report is made again with the whole coverage.
func (h *Heartbeat) Beat(ctx context.Context) error {
	s := h.Svc
	now := s.now()
	from := h.last
	if from.IsZero() || now.Before(from) || now.Sub(from) > h.MaxGap {
		from = now
	}
	h.last = now
	type hourKey struct {
		day  string
		hour int
	}
	marks := map[hourKey]int64{}
	for m := from.Truncate(time.Minute); !m.After(now); m = m.Add(time.Minute) {
		local := m.In(s.cfg.Location)
		day, hour := models.LocalDay(local, s.cfg.Location)
		marks[hourKey{day, hour}] |= 1 << local.Minute()
	}
	today, _ := models.LocalDay(now, s.cfg.Location)
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for k, bits := range marks {
			if err := tx.Exec(`INSERT INTO uptime(day, hour, minutes) VALUES (?, ?, ?)
				ON CONFLICT(day, hour) DO UPDATE SET minutes = minutes | excluded.minutes`, k.day, k.hour, bits).Error; err != nil {
				return err
			}
			if k.day < today {
				if err := MarkDirty(tx, k.day); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
