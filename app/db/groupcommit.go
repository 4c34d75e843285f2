package db

import (
	"context"
	"runtime"
	"sync"

	"harbor/models"
)

// GroupCommit is a group-commit writer over a SQLite database with
// synchronous=FULL, where each commit costs an fsync. Callers submit items
// and wait; one goroutine takes whatever is waiting (up to max; under load
// it yields once to let more arrive, never waiting on a timer), stores the
// lot with one call of commit (one transaction), and answers each caller
// only after it returned. One fsync then covers the whole batch. When
// commit fails for a batch of several, each item is committed again alone,
// so that one bad item does not fail the others and each caller gets its
// own answer. Items are committed in the order they were queued. The
// outlet's check-ins and the gateway's inbox both go through one.
type GroupCommit[T any] struct {
	commit func([]T) error
	max    int
	queue  chan *groupJob[T]
	done   chan struct{}

	mu     sync.RWMutex // held for reading while queueing; Close takes it to close queue
	closed bool
}

type groupJob[T any] struct {
	ctx   context.Context
	item  T
	err   error
	reply chan struct{} // closed once err is final
}

// NewGroupCommit starts the writer goroutine. first, if not nil, runs in
// it before the first batch (to load what commit needs; items queue
// meanwhile).
func NewGroupCommit[T any](max int, commit func([]T) error, first func()) *GroupCommit[T] {
	g := &GroupCommit[T]{commit: commit, max: max, queue: make(chan *groupJob[T], 4*max), done: make(chan struct{})}
	go g.run(first)
	return g
}

// Submit queues item and waits until it is committed or has failed. A
// cancelled ctx fails it unless its batch has begun.
func (g *GroupCommit[T]) Submit(ctx context.Context, item T) error {
	j := &groupJob[T]{ctx: ctx, item: item, reply: make(chan struct{})}
	if !g.enqueue(j) {
		return errClosed()
	}
	<-j.reply
	return j.err
}

// SubmitAll queues items in order and waits for every one: they are
// committed in that order, most of them together.
func (g *GroupCommit[T]) SubmitAll(ctx context.Context, items []T) []error {
	jobs := make([]groupJob[T], len(items))
	errs := make([]error, len(items))
	for i, it := range items {
		jobs[i] = groupJob[T]{ctx: ctx, item: it, reply: make(chan struct{})}
	}
	g.mu.RLock()
	if g.closed {
		g.mu.RUnlock()
		for i := range errs {
			errs[i] = errClosed()
		}
		return errs
	}
	for i := range jobs {
		g.queue <- &jobs[i]
	}
	g.mu.RUnlock()
	for i := range jobs {
		<-jobs[i].reply
		errs[i] = jobs[i].err
	}
	return errs
}

// enqueue queues j unless the writer is closed.
func (g *GroupCommit[T]) enqueue(j *groupJob[T]) bool {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if g.closed {
		return false
	}
	g.queue <- j
	return true
}

func errClosed() error { return models.Errorf(models.EUNAVAILABLE, "shutting down") }

// Close stops taking items, commits what is queued and waits for the
// writer to finish.
func (g *GroupCommit[T]) Close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.queue)
	}
	g.mu.Unlock()
	<-g.done
}

func (g *GroupCommit[T]) run(first func()) {
	defer close(g.done)
	if first != nil {
		first()
	}
	batch := make([]*groupJob[T], 0, g.max)
	busy := false // the last batch had company: others are on their way
	for j := range g.queue {
		batch = append(batch[:0], j)
		// Under load, let the goroutines that are about to submit run once
		// before committing: batches grew from about 5 to 18 items at 256
		// clients and check-ins/s by a third (docs/BENCHMARKS.md, issue 12).
		// A lone item is never held back.
		yielded := !busy
	fill:
		for len(batch) < g.max {
			select {
			case j, ok := <-g.queue:
				if !ok {
					break fill
				}
				batch = append(batch, j)
			default:
				if yielded {
					break fill
				}
				yielded = true
				runtime.Gosched()
			}
		}
		busy = len(batch) > 1
		g.store(batch)
	}
}

// store commits batch and answers its members; see GroupCommit.
func (g *GroupCommit[T]) store(batch []*groupJob[T]) {
	live := batch[:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.answer(err)
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	items := make([]T, len(live))
	for i, j := range live {
		items[i] = j.item
	}
	err := g.commit(items)
	if err == nil || len(live) == 1 {
		for _, j := range live {
			j.answer(err)
		}
		return
	}
	for _, j := range live {
		j.answer(g.commit([]T{j.item}))
	}
}

func (j *groupJob[T]) answer(err error) {
	j.err = err
	close(j.reply)
}
