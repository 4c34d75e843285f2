package branch

import (
	"context"
	"hash/fnv"
	"log/slog"
	"sync"

	"gorm.io/gorm"

	"harbor/app/db"
	"harbor/models"
)

// maxBatch bounds the reports one transaction stores.
const maxBatch = 128

// ingestWriter stores checked reports. Each of its goroutines takes
// whatever pushes are waiting (up to maxBatch, never waiting for more),
// stores them in one transaction (storeBatch), commits and only then
// answers each push. On SQLite that is one commit, and one fsync, for many
// pushes; on PostgreSQL a few statements for the whole batch instead of
// twenty for each push. A batch never holds two reports of the same outlet
// and day: the later one waits for the next batch, so revisions are
// decided in the order the pushes arrived. If a batch fails, each of its
// reports is stored alone, so one bad report fails alone.
//
// SQLite has one writer connection, so one writer. PostgreSQL gets
// pgWriters, each for its share of the outlets, so that its cores work on
// several batches at once; their transactions touch different outlets'
// rows and meet only at the day rollups, updated last and in one order
// (addToDays).
type ingestWriter struct {
	mu     sync.RWMutex // held for reading while sending to a queue
	closed bool
	queues []chan *pending // one per writer goroutine
	done   sync.WaitGroup
}

// pgWriters is the number of writers on PostgreSQL. On 2 cores, 2 stored
// 15 % more reports a second than 1; 4 made smaller batches, used more CPU
// and stored no more.
const pgWriters = 2

func (s *Service) startWriter() {
	n := 1
	if s.db.Dialect() == db.Postgres {
		n = pgWriters
	}
	s.writer = &ingestWriter{queues: make([]chan *pending, n)}
	for i := range s.writer.queues {
		s.writer.queues[i] = make(chan *pending, 4*maxBatch)
		s.writer.done.Add(1)
		go s.writeLoop(s.writer.queues[i])
	}
}

// stopWriter stops taking reports, stores those queued and returns when
// the writers have finished.
func (s *Service) stopWriter() {
	w := s.writer
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		for _, q := range w.queues {
			close(q)
		}
	}
	w.mu.Unlock()
	w.done.Wait()
}

// enqueue hands p to its outlet's writer and waits for the answer.
func (s *Service) enqueue(ctx context.Context, p *pending) (IngestResult, error) {
	w := s.writer
	p.done = make(chan struct{})
	h := fnv.New32a()
	h.Write([]byte(p.r.Outlet))
	queue := w.queues[h.Sum32()%uint32(len(w.queues))]
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return IngestResult{}, models.Errorf(models.EUNAVAILABLE, "the branch is shutting down; retry later")
	}
	select {
	case queue <- p:
		w.mu.RUnlock()
	case <-ctx.Done():
		w.mu.RUnlock()
		return IngestResult{}, ctx.Err()
	}
	<-p.done // once queued, it is stored whatever the caller does
	return p.res, p.err
}

func (s *Service) writeLoop(queue chan *pending) {
	defer s.writer.done.Done()
	var held []*pending // reports of an outlet and day already in the last batch
	for {
		batch, keys := make([]*pending, 0, maxBatch), map[[2]string]bool{}
		var later []*pending
		add := func(p *pending) {
			k := [2]string{p.r.Outlet, p.r.Day}
			if keys[k] || len(batch) == maxBatch {
				later = append(later, p)
				return
			}
			keys[k] = true
			batch = append(batch, p)
		}
		for _, p := range held {
			add(p)
		}
		if len(batch) == 0 {
			p, ok := <-queue
			if !ok {
				return
			}
			add(p)
		}
	fill:
		for len(batch) < maxBatch && len(later) < maxBatch {
			select {
			case p, ok := <-queue:
				if !ok {
					break fill
				}
				add(p)
			default:
				break fill
			}
		}
		held = later
		s.commitBatch(batch)
	}
}

// commitBatch stores batch in one transaction, or each member alone if
// that fails, and answers every member.
func (s *Service) commitBatch(batch []*pending) {
	err := s.db.Write.Transaction(func(tx *gorm.DB) error { return s.storeBatch(tx, batch) })
	if err != nil && len(batch) > 1 {
		slog.Warn("storing a batch of reports failed; storing each alone", "reports", len(batch), "err", err)
		for _, p := range batch {
			s.commitBatch([]*pending{p})
		}
		return
	}
	invalidate := false
	for _, p := range batch {
		switch {
		case err != nil:
			p.res, p.err = IngestResult{}, err
		case p.outcome == outcomeConflict:
			p.err = models.Errorf(models.ECONFLICT, "revision %d of %s for %s was already accepted with different figures; "+
				"a changed report needs a higher revision", p.r.Revision, p.r.Outlet, p.r.Day)
		case p.r.Profile != nil && (p.outcome == outcomeStored || p.outcome == outcomeReplaced):
			invalidate = true
		}
	}
	if invalidate {
		s.directory.invalidate()
	}
	for _, p := range batch {
		close(p.done)
	}
}
