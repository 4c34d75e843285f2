package outlet

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Outcomes of a report revision in the outbox.
const (
	OutcomePending    = "pending"
	OutcomeAccepted   = "accepted"
	OutcomeStale      = "stale"
	OutcomeSuperseded = "superseded"
	OutcomeConflict   = "conflict"
)

// What a delivery did besides the branch's answers: a revision made under
// an old outlet code was made again under the current one, or set aside.
const (
	OutcomeReissued = "reissued"
	OutcomeSetAside = "set aside"
)

// outboxItem is a revision waiting for delivery.
type outboxItem struct {
	Day           string
	Revision      int
	Body          string
	Attempts      int
	NextAttemptAt int64
}

// nextPending returns the oldest pending revision (day order), or nil.
func (s *Service) nextPending(ctx context.Context) (*outboxItem, error) {
	var items []outboxItem
	err := s.db.Read.WithContext(ctx).Raw(`SELECT day, revision, body, attempts, next_attempt_at
		FROM report_revisions WHERE outcome = 'pending' ORDER BY day, revision LIMIT 1`).Scan(&items).Error
	if err != nil || len(items) == 0 {
		return nil, err
	}
	return &items[0], nil
}

// markDelivered records the branch's final answer for a revision.
func (s *Service) markDelivered(ctx context.Context, it *outboxItem, outcome string) error {
	now := s.now().UnixMilli()
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE report_revisions SET outcome = ?, delivered_at = ?, attempts = attempts + 1,
			last_error = '' WHERE day = ? AND revision = ?`, outcome, now, it.Day, it.Revision).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE reporter_state SET last_success_at = ?, last_attempt_at = ?, last_error = '' WHERE id = 1`,
			now, now).Error
	})
}

// markFailed records a failed attempt and when to try again.
func (s *Service) markFailed(ctx context.Context, it *outboxItem, next time.Time, problem string) error {
	now := s.now().UnixMilli()
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE report_revisions SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
			WHERE day = ? AND revision = ?`, next.UnixMilli(), problem, it.Day, it.Revision).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE reporter_state SET last_attempt_at = ?, last_error = ? WHERE id = 1`, now, problem).Error
	})
}

// ReporterStatus is what staff and /healthz see of the reporter.
type ReporterStatus struct {
	Enrolled    bool       `json:"enrolled"`
	Branch      string     `json:"branch,omitempty"`
	Pending     int        `json:"pending"`
	OldestDay   string     `json:"oldest_pending_day,omitempty"`
	LastSuccess *time.Time `json:"last_success,omitempty"`
	LastAttempt *time.Time `json:"last_attempt,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	// LastNotice is the latest thing the reporter did on its own that
	// staff should know of, e.g. a day sent again after a restore.
	LastNotice   string     `json:"last_notice,omitempty"`
	LastNoticeAt *time.Time `json:"last_notice_at,omitempty"`
}

// ReporterStatus reads the outbox and the last delivery attempt.
func (s *Service) ReporterStatus(ctx context.Context) (ReporterStatus, error) {
	var st ReporterStatus
	link, err := s.Link()
	if err != nil {
		st.LastError = err.Error()
	}
	if link != nil {
		st.Enrolled, st.Branch = true, link.BranchURL
	}
	q := s.db.Read.WithContext(ctx)
	var pending struct {
		N      int
		Oldest *string
	}
	if err := q.Raw(`SELECT COUNT(*) AS n, MIN(day) AS oldest FROM report_revisions WHERE outcome = 'pending'`).
		Scan(&pending).Error; err != nil {
		return st, err
	}
	st.Pending = pending.N
	if pending.Oldest != nil {
		st.OldestDay = *pending.Oldest
	}
	var row struct {
		LastSuccessAt *int64
		LastAttemptAt *int64
		LastError     string
		LastNotice    string
		LastNoticeAt  *int64
	}
	if err := q.Raw(`SELECT last_success_at, last_attempt_at, last_error, last_notice, last_notice_at
		FROM reporter_state WHERE id = 1`).Scan(&row).Error; err != nil {
		return st, err
	}
	st.LastSuccess, st.LastAttempt = msTime(row.LastSuccessAt), msTime(row.LastAttemptAt)
	st.LastNotice, st.LastNoticeAt = row.LastNotice, msTime(row.LastNoticeAt)
	if st.LastError == "" {
		st.LastError = row.LastError
	}
	return st, nil
}

func msTime(ms *int64) *time.Time {
	if ms == nil {
		return nil
	}
	t := time.UnixMilli(*ms).UTC()
	return &t
}

// setAside takes it out of the outbox unsent (outcome superseded), with
// problem as its error and the reporter's last problem.
func (s *Service) setAside(ctx context.Context, it *outboxItem, problem string) error {
	now := s.now().UnixMilli()
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE report_revisions SET outcome = 'superseded', last_error = ?
			WHERE day = ? AND revision = ?`, problem, it.Day, it.Revision).Error; err != nil {
			return err
		}
		return tx.Exec(`UPDATE reporter_state SET last_attempt_at = ?, last_error = ? WHERE id = 1`, now, problem).Error
	})
}

// notice records something the reporter did that staff should read about.
func (s *Service) notice(ctx context.Context, text string) error {
	return s.db.Write.WithContext(ctx).Exec(`UPDATE reporter_state SET last_notice = ?, last_notice_at = ? WHERE id = 1`,
		text, s.now().UnixMilli()).Error
}
