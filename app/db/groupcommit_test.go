package db

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"

	"harbor/models"
)

// TestGroupCommitBatchesInOrderAndIsolatesFailures: items queued together
// are committed in order, several in one call; a failing item fails alone
// (its batch is committed again one by one); after Close nothing is taken.
func TestGroupCommitBatchesInOrderAndIsolatesFailures(t *testing.T) {
	var mu sync.Mutex
	var stored []int
	var sizes []int
	gate := make(chan struct{})
	g := NewGroupCommit(64, func(items []int) error {
		mu.Lock()
		defer mu.Unlock()
		sizes = append(sizes, len(items))
		if slices.Contains(items, 13) {
			return errors.New("13 is refused")
		}
		stored = append(stored, items...)
		return nil
	}, func() { <-gate }) // hold the first batch until everything is queued
	items := make([]int, 40)
	for i := range items {
		items[i] = i
	}
	var errs []error
	done := make(chan struct{})
	go func() { errs = g.SubmitAll(context.Background(), items); close(done) }()
	for len(g.queue) < len(items) {
		runtime.Gosched()
	}
	close(gate)
	<-done
	for i, err := range errs {
		if (err != nil) != (i == 13) {
			t.Fatalf("item %d: %v", i, err)
		}
	}
	want := slices.Delete(slices.Clone(items), 13, 14)
	if !slices.Equal(stored, want) {
		t.Fatalf("stored %v, want %v in order", stored, want)
	}
	if sizes[0] != len(items) || len(sizes) != 1+len(items) {
		t.Fatalf("commits of %v items: want all %d together, then each alone after the failure", sizes, len(items))
	}
	g.Close()
	if err := g.Submit(context.Background(), 1); models.ErrorCode(err) != models.EUNAVAILABLE {
		t.Fatalf("after Close: %v, want unavailable", err)
	}
}
