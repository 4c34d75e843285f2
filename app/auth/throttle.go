package auth

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Login throttling: at most MaxFailures failed logins per FailureWindow for
// one client address and, separately, for one account name.
const (
	MaxFailures   = 5
	FailureWindow = time.Minute
	// failureKeep is how long failure rows stay, for the record.
	failureKeep = 24 * time.Hour
)

// checkThrottle returns ERATELIMIT, with RetryAfter and a message saying
// when to try again, when any key has MaxFailures failures in the window.
func (s *Store) checkThrottle(ctx context.Context, keys []string) error {
	now := s.cfg.Now()
	since := now.Add(-FailureWindow).UnixMilli()
	var wait time.Duration
	for _, key := range keys {
		var recent []int64
		err := s.db.Read.WithContext(ctx).Raw(`SELECT at FROM `+s.t.Failures+`
			WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?`, key, since, MaxFailures).Scan(&recent).Error
		if err != nil {
			return err
		}
		if len(recent) < MaxFailures {
			continue
		}
		// Allowed again once the oldest of the last MaxFailures leaves the window.
		free := time.UnixMilli(recent[MaxFailures-1]).Add(FailureWindow)
		wait = max(wait, free.Sub(now))
	}
	if wait <= 0 {
		return nil
	}
	secs := int((wait + time.Second - 1) / time.Second)
	at := now.Add(time.Duration(secs) * time.Second).In(s.cfg.Location).Format("15:04:05")
	return &models.Error{Code: models.ERATELIMIT, RetryAfter: secs, Message: fmt.Sprintf(
		"登录失败次数过多，请在 %s（约 %d 秒后）再试 / too many failed logins: try again at %s (in about %d s)",
		at, secs, at, secs)}
}

// recordFailure notes a failed login under every key and forgets old ones.
func (s *Store) recordFailure(ctx context.Context, keys []string) error {
	now := s.nowMilli()
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, key := range keys {
			if err := tx.Exec(`INSERT INTO `+s.t.Failures+`(key, at) VALUES (?, ?)`, key, now).Error; err != nil {
				return err
			}
		}
		return tx.Exec(`DELETE FROM `+s.t.Failures+` WHERE at < ?`, now-failureKeep.Milliseconds()).Error
	})
}
