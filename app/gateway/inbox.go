package gateway

import (
	"context"
	"database/sql"
	"encoding/json"
	"sync"
	"time"

	"harbor/app/db"
	"harbor/models"
)

// maxBatch bounds how many inbox items share one transaction.
const maxBatch = 256

// inboxWriter stores accepted items through a group-commit writer, as the
// outlet stores check-ins: each phone is answered only after its item's
// transaction is on disk (synchronous=FULL), and one fsync covers every
// item waiting. After each commit the outlets' held pulls are woken.
type inboxWriter struct {
	s      *Service
	sqlDB  *sql.DB
	insert *sql.Stmt
	w      *db.GroupCommit[*inboxEntry]
}

// inboxEntry is one item on its way into the inbox.
type inboxEntry struct {
	outlet string
	at     time.Time
	body   []byte
	id     int64 // set once stored
}

func newInboxWriter(s *Service) (*inboxWriter, error) {
	sqlDB, err := s.db.Write.DB()
	if err != nil {
		return nil, err
	}
	insert, err := sqlDB.Prepare(`INSERT INTO inbox(outlet, received_at, item) VALUES (?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	iw := &inboxWriter{s: s, sqlDB: sqlDB, insert: insert}
	iw.w = db.NewGroupCommit(maxBatch, iw.commit, nil)
	return iw, nil
}

// add stores item for outlet and returns its id once it is on disk.
func (iw *inboxWriter) add(ctx context.Context, outlet string, at time.Time, item models.InboxItem) (int64, error) {
	body, err := json.Marshal(item)
	if err != nil {
		return 0, err
	}
	e := &inboxEntry{outlet: outlet, at: at, body: body}
	if err := iw.w.Submit(ctx, e); err != nil {
		return 0, err
	}
	return e.id, nil
}

// commit stores entries in one transaction, then wakes their outlets'
// pulls.
func (iw *inboxWriter) commit(entries []*inboxEntry) error {
	tx, err := iw.sqlDB.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st := tx.Stmt(iw.insert)
	for _, e := range entries {
		r, err := st.Exec(e.outlet, e.at.UnixMilli(), string(e.body))
		if err != nil {
			return err
		}
		if e.id, err = r.LastInsertId(); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	woken := map[string]bool{}
	for _, e := range entries {
		if !woken[e.outlet] {
			woken[e.outlet] = true
			iw.s.waiters.wake(e.outlet)
		}
	}
	return nil
}

func (iw *inboxWriter) close() {
	iw.w.Close()
	iw.insert.Close()
}

// waiters are the held pulls, by outlet: each waits on its outlet's
// channel, which a commit of a new item for that outlet closes.
type waiters struct {
	mu sync.Mutex
	ch map[string]chan struct{}
}

// wait returns the channel closed by the outlet's next new item. Take it
// before looking for items, so that none slips in between.
func (w *waiters) wait(outlet string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == nil {
		w.ch = map[string]chan struct{}{}
	}
	c := w.ch[outlet]
	if c == nil {
		c = make(chan struct{})
		w.ch[outlet] = c
	}
	return c
}

func (w *waiters) wake(outlet string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c := w.ch[outlet]; c != nil {
		close(c)
		delete(w.ch, outlet)
	}
}

// itemsAfter reads up to limit items of outlet after cursor, in order,
// and whether more follow.
func (s *Service) itemsAfter(ctx context.Context, outlet string, cursor int64, limit int) ([]models.InboxItem, bool, error) {
	rows, err := s.db.Read.WithContext(ctx).Raw(`SELECT id, item FROM inbox WHERE outlet = ? AND id > ? ORDER BY id LIMIT ?`,
		outlet, cursor, limit+1).Rows()
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	items := make([]models.InboxItem, 0, min(limit, 64))
	for rows.Next() {
		var id int64
		var body []byte
		if err := rows.Scan(&id, &body); err != nil {
			return nil, false, err
		}
		if len(items) == limit {
			return items, true, nil
		}
		var it models.InboxItem
		if err := json.Unmarshal(body, &it); err != nil {
			return nil, false, err
		}
		it.ID = id
		items = append(items, it)
	}
	return items, false, rows.Err()
}
