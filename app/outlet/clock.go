package outlet

import (
	"context"
	"log/slog"
	"strconv"
	"time"
)

// ClockTolerance is how far this machine's clock may be from the branch's
// before the self-check fails and the staff console warns. The branch
// refuses pushes signed more than 5 minutes off.
const ClockTolerance = 2 * time.Minute

// ClockReading compares this machine's clock with the branch's, as one of
// the branch's answers showed it.
type ClockReading struct {
	Ahead time.Duration // this clock minus the branch's: negative when behind
	At    time.Time     // when, by this clock
}

// Off reports whether the clocks differ by more than ClockTolerance.
func (c ClockReading) Off() bool { return c.Ahead > ClockTolerance || c.Ahead < -ClockTolerance }

// noteBranchClock stores the difference to the branch's clock, read from an
// answer's Date header (zero: no answer, nothing stored). A failure to store
// it is only logged: it must not fail the push it came with.
func (s *Service) noteBranchClock(ctx context.Context, branchNow time.Time) *ClockReading {
	if branchNow.IsZero() {
		return nil
	}
	now := s.now()
	c := &ClockReading{Ahead: now.Sub(branchNow), At: now}
	err := s.db.Write.WithContext(ctx).Exec(`INSERT INTO settings(key, value) VALUES ('branch_clock_ahead_ms', ?), ('branch_clock_at_ms', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		strconv.FormatInt(c.Ahead.Milliseconds(), 10), strconv.FormatInt(now.UnixMilli(), 10)).Error
	if err != nil {
		slog.Warn("store the branch's clock", "err", err)
	}
	return c
}

// BranchClock is the last comparison with the branch's clock, or nil when
// the branch never answered.
func (s *Service) BranchClock(ctx context.Context) (*ClockReading, error) {
	ahead, err := s.setting(ctx, "branch_clock_ahead_ms")
	if err != nil || ahead == "" {
		return nil, err
	}
	at, err := s.setting(ctx, "branch_clock_at_ms")
	if err != nil {
		return nil, err
	}
	ms, _ := strconv.ParseInt(ahead, 10, 64)
	atMs, _ := strconv.ParseInt(at, 10, 64)
	return &ClockReading{Ahead: time.Duration(ms) * time.Millisecond, At: time.UnixMilli(atMs)}, nil
}
