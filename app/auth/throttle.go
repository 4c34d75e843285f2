package auth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// Login throttling. Every attempt is counted before its password is
// verified, under one mutex, so that N parallel attempts cost N attempts
// (the count used to be read before the ~40 ms argon2 check and written
// after it). Three counts, each over the last FailureWindow:
//
//   - an account from one client address: MaxFailures, then 429 for that
//     pair only;
//   - one client address, whatever the account: MaxAddressFailures, then 429;
//   - one account from anywhere: past MaxFailures every attempt first waits
//     AccountSlowdown. It is never refused, so guessing from many places
//     cannot keep the right password out of an address without failures.
//
// A successful attempt is taken back and forgets the pair's failures.
// Failures are also written to the role's failures table, and a count is
// the larger of this process's and the table's, so they outlive a restart
// and are shared by servers on one database.
const (
	MaxFailures        = 5
	MaxAddressFailures = 20
	FailureWindow      = time.Minute
	AccountSlowdown    = time.Second
	// failureKeep is how long failure rows stay, for the record.
	failureKeep = 24 * time.Hour
)

// throttleKeys are the keys an attempt on name from ip counts under.
type throttleKeys struct{ pair, ip, account string }

func keysOf(name, ip string) throttleKeys {
	account := strings.ToLower(truncate(name, 40))
	return throttleKeys{pair: "pair:" + ip + "|" + account, ip: "ip:" + ip, account: "user:" + account}
}

func (k throttleKeys) all() []string { return []string{k.pair, k.ip, k.account} }

// attempts holds, per key, the instants (unix ms) of this process's recent
// attempts that failed or are being verified. Keys unused for a window are
// swept, so memory is bounded by the attempts of one window, which the
// per-address rate limit on the login forms bounds in turn.
type attempts struct {
	mu        sync.Mutex
	at        map[string][]int64
	nextSweep int64
}

// begin counts an attempt at now under k, unless the pair or the address
// is over its limit given stored (the table's recent failures per key,
// oldest first): then it returns ERATELIMIT and counts nothing. slow tells
// the caller to wait AccountSlowdown before verifying.
func (a *attempts) begin(k throttleKeys, stored map[string][]int64, now time.Time, loc *time.Location) (slow bool, err error) {
	ms, window := now.UnixMilli(), FailureWindow.Milliseconds()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at == nil {
		a.at = map[string][]int64{}
	}
	if ms >= a.nextSweep {
		for key, times := range a.at {
			if len(times) == 0 || times[len(times)-1] <= ms-window {
				delete(a.at, key)
			}
		}
		a.nextSweep = ms + window
	}
	recent := func(key string) []int64 {
		times := a.at[key]
		i := 0
		for i < len(times) && times[i] <= ms-window {
			i++
		}
		times = times[i:]
		a.at[key] = times
		if db := stored[key]; len(db) > len(times) {
			return db
		}
		return times
	}
	var wait int64
	for _, lim := range []struct {
		key string
		max int
	}{{k.pair, MaxFailures}, {k.ip, MaxAddressFailures}} {
		if times := recent(lim.key); len(times) >= lim.max {
			// Free again once the oldest of the last max leaves the window.
			wait = max(wait, times[len(times)-lim.max]+window-ms)
		}
	}
	if wait > 0 {
		return false, throttled(now, time.Duration(wait)*time.Millisecond, loc)
	}
	slow = len(recent(k.account)) >= MaxFailures
	for _, key := range k.all() {
		a.at[key] = append(a.at[key], ms)
	}
	return slow, nil
}

// succeeded takes back the attempt begun at now and forgets the pair's failures.
func (a *attempts) succeeded(k throttleKeys, now time.Time) {
	ms := now.UnixMilli()
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.at, k.pair)
	for _, key := range []string{k.ip, k.account} {
		if i := slices.Index(a.at[key], ms); i >= 0 {
			a.at[key] = slices.Delete(a.at[key], i, i+1)
		}
	}
}

// throttled is the 429 answer: when to try again, in the role's time zone.
func throttled(now time.Time, wait time.Duration, loc *time.Location) error {
	secs := int((wait + time.Second - 1) / time.Second)
	at := now.Add(time.Duration(secs) * time.Second).In(loc).Format("15:04:05")
	return &models.Error{Code: models.ERATELIMIT, RetryAfter: secs, Message: fmt.Sprintf(
		"登录失败次数过多，请在 %s（约 %d 秒后）再试 / too many failed logins: try again at %s (in about %d s)",
		at, secs, at, secs)}
}

// beginAttempt reads the table's recent failures under k and counts the
// attempt (attempts.begin); a slowed attempt waits here.
func (s *Store) beginAttempt(ctx context.Context, k throttleKeys, now time.Time) error {
	since := now.Add(-FailureWindow).UnixMilli()
	stored := map[string][]int64{}
	for key, limit := range map[string]int{k.pair: MaxFailures, k.ip: MaxAddressFailures, k.account: MaxFailures} {
		var recent []int64
		err := s.db.Read.WithContext(ctx).Raw(`SELECT at FROM `+s.t.Failures+`
			WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?`, key, since, limit).Scan(&recent).Error
		if err != nil {
			return err
		}
		slices.Reverse(recent)
		stored[key] = recent
	}
	slow, err := s.attempts.begin(k, stored, now, s.cfg.Location)
	if err != nil || !slow {
		return err
	}
	t := time.NewTimer(AccountSlowdown)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// recordFailure notes a failed login under every key and forgets old ones.
func (s *Store) recordFailure(ctx context.Context, k throttleKeys, now time.Time) error {
	ms := now.UnixMilli()
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, key := range k.all() {
			if err := tx.Exec(`INSERT INTO `+s.t.Failures+`(key, at) VALUES (?, ?)`, key, ms).Error; err != nil {
				return err
			}
		}
		return tx.Exec(`DELETE FROM `+s.t.Failures+` WHERE at < ?`, ms-failureKeep.Milliseconds()).Error
	})
}
