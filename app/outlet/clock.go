package outlet

import (
	"context"
	"log/slog"
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
	if err := s.setObserved(ctx, "branch_clock_ahead_ms", c.Ahead.Milliseconds(), now.UnixMilli()); err != nil {
		slog.Warn("store the branch's clock", "err", err)
	}
	return c
}

// BranchClock is the last comparison with the branch's clock, or nil when
// the branch never answered.
func (s *Service) BranchClock(ctx context.Context) (*ClockReading, error) {
	ahead, at, ok, err := s.observed(ctx, "branch_clock_ahead_ms")
	if !ok {
		return nil, err
	}
	return &ClockReading{Ahead: time.Duration(ahead) * time.Millisecond, At: time.UnixMilli(at)}, nil
}
