package apptest

import (
	"testing"
	"time"
)

// WaitTimeout bounds every WaitFor: far beyond what any wait takes on a slow
// machine under -race, so that reaching it means something is broken.
const WaitTimeout = time.Minute

// WaitFor polls cond until it holds and fails the test, saying what it
// waited for, if it does not within WaitTimeout. It is for waiting on other
// goroutines and processes, never for measuring time. Call it from the
// test's goroutine.
func WaitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(WaitTimeout); !cond(); time.Sleep(2 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("waited %s for %s", WaitTimeout, what)
		}
	}
}
