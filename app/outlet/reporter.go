package outlet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"

	"harbor/app/signing"
	"harbor/models"
)

// Reporter turns each local day's figures into report revisions and
// delivers them to the branch, in day order, retrying with exponential
// backoff and full jitter until the branch answers accepted or stale.
type Reporter struct {
	Svc *Service
	// HTTP sends the pushes; its Timeout bounds one attempt.
	HTTP *http.Client
	// CycleEvery is how often days are checked for new figures (1 min).
	CycleEvery time.Duration
	// Intraday is the least time between two snapshots of the running day (15 min).
	Intraday time.Duration
	// BackoffBase and BackoffCap shape the retry delays (1 s, 5 min).
	BackoffBase, BackoffCap time.Duration

	wake chan struct{}
}

// NewReporter returns a reporter with the default timings.
func NewReporter(svc *Service) *Reporter {
	return &Reporter{Svc: svc, HTTP: &http.Client{Timeout: 30 * time.Second},
		CycleEvery: time.Minute, Intraday: 15 * time.Minute,
		BackoffBase: time.Second, BackoffCap: 5 * time.Minute, wake: make(chan struct{}, 1)}
}

// Wake makes a running reporter check for work now.
func (r *Reporter) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run snapshots and delivers until ctx is cancelled. Everything it needs to
// resume is in the database, so a restart picks up where it stopped.
func (r *Reporter) Run(ctx context.Context) {
	for {
		if err := r.Cycle(ctx); err != nil && ctx.Err() == nil {
			slog.Error("reporter: snapshot", "err", err)
		}
		wait := r.CycleEvery
		if next, err := r.DeliverDue(ctx, false); err != nil && ctx.Err() == nil {
			slog.Error("reporter: delivery", "err", err)
		} else if next > 0 && next < wait {
			wait = next
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-r.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// Cycle stores a new revision for every day whose figures changed (the
// running day at most every Intraday), a final revision for every past day
// whose latest one is not final, and a report for every day since the
// outlet started that has none yet (a day with no visits reports zeros).
func (r *Reporter) Cycle(ctx context.Context) error {
	s := r.Svc
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	dirty, err := s.dirtyDays(s.db.Read.WithContext(ctx))
	if err != nil {
		return err
	}
	for _, d := range dirty {
		if d.Day > today {
			continue
		}
		if d.Day == today && !r.intradayDue(ctx, today) {
			continue
		}
		if _, _, err := s.snapshot(ctx, d.Day, false, 0); err != nil {
			return err
		}
		if err := clearDirty(s.db.Write.WithContext(ctx), d); err != nil {
			return err
		}
	}
	days, err := r.daysNeedingFinal(ctx, today)
	if err != nil {
		return err
	}
	for _, day := range days {
		if _, _, err := s.snapshot(ctx, day, false, 0); err != nil {
			return err
		}
	}
	return nil
}

// intradayDue reports whether the running day's last snapshot is older than Intraday.
func (r *Reporter) intradayDue(ctx context.Context, today string) bool {
	var last *int64
	r.Svc.db.Read.WithContext(ctx).Raw(`SELECT MAX(created_at) FROM report_revisions WHERE day = ?`, today).Scan(&last)
	return last == nil || r.Svc.now().Sub(time.UnixMilli(*last)) >= r.Intraday
}

// daysNeedingFinal lists past days whose latest revision is not final, and,
// once enrolled, days since the first check-in or the enrollment with no
// revision at all.
func (r *Reporter) daysNeedingFinal(ctx context.Context, today string) ([]string, error) {
	s := r.Svc
	q := s.db.Read.WithContext(ctx)
	var out []string
	if err := q.Raw(`SELECT day FROM report_revisions rr WHERE day < ? AND revision =
		(SELECT MAX(revision) FROM report_revisions WHERE day = rr.day) AND final = 0 ORDER BY day`, today).
		Scan(&out).Error; err != nil {
		return nil, err
	}
	link, err := s.Link()
	if err != nil || link == nil {
		return out, err
	}
	start, _ := models.LocalDay(link.EnrolledAt, s.cfg.Location)
	var first *string
	if err := q.Raw(`SELECT MIN(day) FROM checkins`).Scan(&first).Error; err != nil {
		return nil, err
	}
	if first != nil && *first < start {
		start = *first
	}
	var have []string
	if err := q.Raw(`SELECT DISTINCT day FROM report_revisions WHERE day >= ?`, start).Scan(&have).Error; err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, d := range have {
		seen[d] = true
	}
	for d := start; d < today; d = models.AddDays(d, 1) {
		if !seen[d] {
			out = append(out, d)
		}
	}
	return out, nil
}

// Delivery is the outcome of one push attempt.
type Delivery struct {
	Day      string `json:"day"`
	Revision int    `json:"revision"`
	Outcome  string `json:"outcome"`
	Error    string `json:"error,omitempty"`
	// Note says in words what happened besides a plain answer.
	Note string `json:"note,omitempty"`
}

// DeliverDue pushes pending revisions in day order while the head of the
// outbox is due (or always, with now=true, for 'harbor outlet push'). It
// stops at the first failure, returning how long until the head is due.
func (r *Reporter) DeliverDue(ctx context.Context, now bool) (time.Duration, error) {
	_, wait, err := r.deliver(ctx, now, nil)
	return wait, err
}

// DeliverNow pushes every pending revision once now, in day order, and
// reports each attempt; it stops at the first failure.
func (r *Reporter) DeliverNow(ctx context.Context) ([]Delivery, error) {
	var out []Delivery
	_, _, err := r.deliver(ctx, true, &out)
	return out, err
}

func (r *Reporter) deliver(ctx context.Context, ignoreBackoff bool, log *[]Delivery) (int, time.Duration, error) {
	s := r.Svc
	link, err := s.Link()
	if err != nil || link == nil {
		return 0, 0, err
	}
	sent := 0
	for ctx.Err() == nil {
		it, err := s.nextPending(ctx)
		if err != nil || it == nil {
			return sent, 0, err
		}
		if d, err := r.reissue(ctx, link, it); err != nil || d != nil {
			if log != nil && d != nil {
				*log = append(*log, *d)
			}
			if err != nil {
				return sent, 0, err
			}
			continue
		}
		if wait := time.UnixMilli(it.NextAttemptAt).Sub(s.now()); wait > 0 && !ignoreBackoff {
			return sent, wait, nil
		}
		ans, pushErr := r.push(ctx, link, it)
		d := Delivery{Day: it.Day, Revision: it.Revision, Outcome: ans.Status}
		switch {
		case pushErr == nil && ans.Status == OutcomeStale:
			if err = s.markDelivered(ctx, it, OutcomeStale); err == nil {
				d.Note, err = r.sendAbove(ctx, it, ans)
			}
		case pushErr == nil:
			err = s.markDelivered(ctx, it, ans.Status)
		case models.ErrorCode(pushErr) == models.ECONFLICT:
			// The branch holds this revision number with other figures
			// (e.g. after a restore): store the figures as a new revision.
			d.Outcome = OutcomeConflict
			if err = s.markDelivered(ctx, it, OutcomeConflict); err == nil {
				d.Note, err = r.sendAbove(ctx, it, pushAnswer{CurrentRevision: it.Revision})
			}
		default:
			d.Outcome, d.Error = "failed", plainWords(link, pushErr)
			next := s.now().Add(r.backoff(it.Attempts))
			err = s.markFailed(ctx, it, next, d.Error)
			if log != nil {
				*log = append(*log, d)
			}
			return sent, time.Until(time.Now().Add(next.Sub(s.now()))), err
		}
		if log != nil {
			*log = append(*log, d)
		}
		if err != nil {
			return sent, 0, err
		}
		sent++
	}
	return sent, 0, ctx.Err()
}

// backoff is the wait before the next attempt after attempts failures.
func (r *Reporter) backoff(attempts int) time.Duration {
	return fullJitter(r.BackoffBase, r.BackoffCap, attempts)
}

// fullJitter is a random delay up to min(ceiling, base·2^attempts): full
// jitter, so that outlets failing together do not retry together.
func fullJitter(base, ceiling time.Duration, attempts int) time.Duration {
	if attempts < 30 {
		if d := base << attempts; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// pushAnswer is the branch's answer to an accepted push. With "stale" it
// names the revision it holds and that revision's models.FiguresHash.
type pushAnswer struct {
	Status          string `json:"status"`
	CurrentRevision int    `json:"current_revision"`
	CurrentFigures  string `json:"current_figures"`
	CurrentFinal    bool   `json:"current_final"`
}

// push signs and sends one revision; nil error means accepted or stale.
func (r *Reporter) push(ctx context.Context, link *BranchLink, it *outboxItem) (pushAnswer, error) {
	body := []byte(it.Body)
	h := http.Header{}
	h.Set(signing.OutletHeader, link.Outlet)
	h.Set(signing.SignatureHeader, signing.Sign(link.PrivateKey, r.Svc.now(), body))
	var answer pushAnswer
	date, err := postJSON(ctx, r.HTTP, link.BranchURL+"/api/v1/reports", body, h, &answer)
	r.Svc.noteBranchClock(ctx, date)
	if err != nil {
		return pushAnswer{}, err
	}
	switch answer.Status {
	case OutcomeAccepted, OutcomeStale:
		return answer, nil
	}
	return pushAnswer{}, fmt.Errorf("the branch answered an unknown status %q", answer.Status)
}

// plainWords explains a failed push to staff.
func plainWords(link *BranchLink, err error) string {
	var e *models.Error
	if errors.As(err, &e) {
		return fmt.Sprintf("the branch refused the report (%s): %s", e.Code, e.Message)
	}
	return fmt.Sprintf("cannot reach the branch at %s: %v", link.BranchURL, err)
}
