package gateway

import (
	"context"
	"testing"
	"time"

	"harbor/app/signing"
	"harbor/config"
)

// TestPullSignaturesExpire: a signature is refused the second time, and
// deleted once its pull would fail the clock check anyway.
func TestPullSignaturesExpire(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s, err := Open(context.Background(), config.Gateway{DataDir: t.TempDir()}, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	use := func(sig string) bool {
		t.Helper()
		first, err := s.firstUse(s.db.Write, sig, now)
		if err != nil {
			t.Fatal(err)
		}
		return first
	}
	stored := func() (n int64) {
		t.Helper()
		if err := s.db.Read.Raw(`SELECT COUNT(*) FROM pull_signatures`).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if !use("t=1,sig=a") || use("t=1,sig=a") || !use("t=1,sig=b") {
		t.Fatal("a signature must be new once, and only once")
	}
	now = now.Add(2*signing.MaxSkew + 2*time.Minute)
	if !use("t=2,sig=c") {
		t.Fatal("a new signature refused")
	}
	if n := stored(); n != 1 {
		t.Fatalf("%d signatures stored, want only the one still within the clock check", n)
	}
}
