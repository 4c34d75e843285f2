package outlet

import (
	"context"
	"database/sql"
	"time"

	"harbor/app/db"
	"harbor/models"
)

// maxBatch bounds how many check-ins share one transaction.
const maxBatch = 256

// checkInWriter stores check-ins through a group-commit writer
// (db.GroupCommit): concurrent RecordCheckIn calls queue their validated
// check-in, and one goroutine stores whatever is waiting in one
// transaction, one after the other so that dedupe sees earlier members,
// answering each caller only after the commit.
type checkInWriter struct {
	s       *Service
	sqlDB   *sql.DB
	stmts   checkInStmts
	batches *db.GroupCommit[*pendingCheckIn]
	// visitors holds the visits stored today; only the writer goroutine
	// uses it, and past is store's buffer for one visitor's visits.
	visitors visitorMemory
	past     []visit
	hasher   saltedHasher
}

// pendingCheckIn is one validated check-in waiting for the writer.
type pendingCheckIn struct {
	at        time.Time // UTC
	day       string
	hour      int
	channel   string
	category  string
	visitorID string // "" for an assisted visit: no visitor, no dedupe
	amenities []string
	people    int
	staff     string // account that recorded an assisted visit

	// Phone check-ins only (docs/EVIDENCE.md): the local minute of the
	// day, whether it came without the visitor cookie or off the opening
	// hours, and the client address ("" when unknown).
	minute     int
	cookieless bool
	offHours   bool
	addr       string

	// item is the gateway's inbox item this check-in applies (inbox.go),
	// nil for one made here.
	item *appliedItem

	res CheckInResult
}

func newCheckInWriter(s *Service) (*checkInWriter, error) {
	sqlDB, err := s.db.Write.DB()
	if err != nil {
		return nil, err
	}
	w := &checkInWriter{s: s, sqlDB: sqlDB}
	if err := w.stmts.prepare(sqlDB); err != nil {
		return nil, err
	}
	w.batches = db.NewGroupCommit(maxBatch, w.inTx, w.preload)
	return w, nil
}

// submit queues p and waits until it is committed or has failed.
func (w *checkInWriter) submit(ctx context.Context, p *pendingCheckIn) (CheckInResult, error) {
	if err := w.batches.Submit(ctx, p); err != nil {
		return CheckInResult{}, err
	}
	return p.res, nil
}

// close stops taking check-ins, lets the writer commit what is queued and
// waits for it to finish.
func (w *checkInWriter) close() {
	w.batches.Close()
	w.stmts.close()
}

// preload reads today's visits as the outlet starts, so that the first
// check-in need not wait for them (about 1.7 s for a day of a million
// check-ins; nothing for a normal day). Check-ins sent meanwhile queue. If
// it fails, the first check-in loads the day instead.
func (w *checkInWriter) preload() {
	tx, err := w.sqlDB.Begin()
	if err != nil {
		return
	}
	defer tx.Rollback()
	day, _ := models.LocalDay(w.s.now().UTC(), w.s.cfg.Location)
	if _, err := w.visitors.day(tx, day); err != nil {
		w.visitors.forget()
	}
}

// inTx stores members in one transaction, then updates day_counts and
// marks the days dirty once for all of them. If it fails, the visits it
// remembered are forgotten with the rolled-back rows.
func (w *checkInWriter) inTx(members []*pendingCheckIn) (err error) {
	for _, p := range members {
		if p.visitorID != "" {
			if err := w.s.loadDaySalt(w.sqlDB, p.day); err != nil {
				return err
			}
		}
	}
	tx, err := w.sqlDB.BeginTx(context.Background(), nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	defer func() {
		if err != nil {
			w.visitors.forget()
		}
	}()
	st := w.stmts.in(tx)
	counts := dayCountDeltas{}
	for _, p := range members {
		if err := w.store(tx, st, p, counts); err != nil {
			return err
		}
	}
	if err := counts.flush(st); err != nil {
		return err
	}
	return tx.Commit()
}

// store runs inside the writer's transaction tx: it hashes the visitor
// id, splits p's amenities into recorded and duplicates, inserts the
// check-in with one checkin_amenities row per recorded amenity, and adds
// what it changed in the day's figures to counts.
func (w *checkInWriter) store(tx *sql.Tx, st checkInStmts, p *pendingCheckIn, counts dayCountDeltas) error {
	s := w.s
	p.res = CheckInResult{Day: p.day, At: p.at, Channel: p.channel, Category: p.category,
		Recorded: make([]string, 0, len(p.amenities)), Duplicates: []string{}}
	var visitor, client any // NULL for an assisted visit
	var today *dayVisits
	var key visitorKey
	var clientKey uint64
	past := w.past[:0]
	if p.visitorID != "" {
		hash, k, err := w.hasher.visitor(s, p.day, p.visitorID)
		if err != nil {
			return err
		}
		if today, err = w.visitors.day(tx, p.day); err != nil {
			return err
		}
		key = k
		past, visitor = w.visitors.visits(today, key, past), hash
		w.past = past
		if p.addr != "" {
			if clientKey, err = w.hasher.client(s, p.day, p.addr); err != nil {
				return err
			}
			client = int64(clientKey)
		}
	}
	s.splitDuplicates(p, past)
	if p.item != nil {
		if applied, err := p.item.record(st, len(p.res.Recorded) > 0, s.now()); err != nil || !applied {
			return err // applied before: nothing more to store
		}
	}
	if len(p.res.Recorded) == 0 {
		return nil
	}
	at := p.at.UnixMilli()
	var staff any
	if p.staff != "" {
		staff = p.staff
	}
	r, err := st.checkIn.Exec(at, p.day, p.hour, p.channel, p.category, visitor, p.people, staff, client, p.flags())
	if err != nil {
		return err
	}
	if p.res.ID, err = r.LastInsertId(); err != nil {
		return err
	}
	for _, a := range p.res.Recorded {
		if _, err := st.amenity.Exec(p.res.ID, a, p.day, at, visitor, p.people); err != nil {
			return err
		}
	}
	counts.addCheckIn(p, past)
	if today != nil {
		for _, a := range p.res.Recorded {
			w.visitors.add(today, key, a, at)
		}
		if client != nil {
			if grew := today.countClient(clientKey); grew > 0 {
				counts.add(p.day, kindSignal, signalTopAddress, grew, 0)
			}
		}
	}
	return nil
}

// Bits of checkins.flags (migration 0010).
const (
	flagCookieless = 1
	flagOffHours   = 2
	flagGateway    = 4 // taken at the public gateway (migration 0011)
)

func (p *pendingCheckIn) flags() int {
	f := 0
	if p.cookieless {
		f |= flagCookieless
	}
	if p.offHours {
		f |= flagOffHours
	}
	if p.item != nil {
		f |= flagGateway
	}
	return f
}
