package outlet

import (
	"context"
	"strconv"
)

// A value observed at a time (the branch's clock, the printed posters'
// version) is kept as two integer settings, written together.

// setObserved stores value under key and when (unix ms) under key+"_at_ms".
func (s *Service) setObserved(ctx context.Context, key string, value, whenMs int64) error {
	return s.db.Write.WithContext(ctx).Exec(`INSERT INTO settings(key, value) VALUES (?, ?), (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
		key, strconv.FormatInt(value, 10), key+"_at_ms", strconv.FormatInt(whenMs, 10)).Error
}

// observed reads what setObserved stored; ok is false when nothing was.
func (s *Service) observed(ctx context.Context, key string) (value, whenMs int64, ok bool, err error) {
	v, err := s.setting(ctx, key)
	if err != nil || v == "" {
		return 0, 0, false, err
	}
	at, err := s.setting(ctx, key+"_at_ms")
	if err != nil {
		return 0, 0, false, err
	}
	value, _ = strconv.ParseInt(v, 10, 64)
	whenMs, _ = strconv.ParseInt(at, 10, 64)
	return value, whenMs, true, nil
}
