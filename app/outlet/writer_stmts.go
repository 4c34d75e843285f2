package outlet

import (
	"database/sql"
	"errors"
)

// checkInStmts are the check-in path's statements, prepared once on the
// single writer connection: no SQL parsing and no GORM reflection per
// check-in.
type checkInStmts struct {
	visits    *sql.Stmt
	checkIn   *sql.Stmt
	amenity   *sql.Stmt
	count     *sql.Stmt
	markDirty *sql.Stmt
}

const (
	// The partial index checkins_visitor finds a visitor's check-ins (none
	// for a new visitor, a few otherwise), the primary key their amenities.
	sqlVisits = `SELECT a.amenity, c.at, c.day FROM checkins c JOIN checkin_amenities a ON a.checkin_id = c.id
		WHERE c.visitor = ?`

	sqlInsertCheckIn = `INSERT INTO checkins(at, day, hour, channel, category, visitor, people, staff)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`

	sqlInsertAmenity = `INSERT INTO checkin_amenities(checkin_id, amenity, day, at, visitor, people)
		VALUES (?, ?, ?, ?, ?, ?)`

	sqlCount = `INSERT INTO day_counts(day, kind, code, check_ins, visitors) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(day, kind, code) DO UPDATE SET check_ins = check_ins + excluded.check_ins,
		visitors = visitors + excluded.visitors`

	sqlMarkDirty = `INSERT INTO report_dirty(day, gen) VALUES (?, 1)
		ON CONFLICT(day) DO UPDATE SET gen = report_dirty.gen + 1`
)

func (c *checkInStmts) prepare(db *sql.DB) error {
	var err error
	prep := func(q string) *sql.Stmt {
		if err != nil {
			return nil
		}
		var st *sql.Stmt
		st, err = db.Prepare(q)
		return st
	}
	c.visits = prep(sqlVisits)
	c.checkIn = prep(sqlInsertCheckIn)
	c.amenity = prep(sqlInsertAmenity)
	c.count = prep(sqlCount)
	c.markDirty = prep(sqlMarkDirty)
	if err != nil {
		c.close()
	}
	return err
}

// in returns the statements bound to tx.
func (c *checkInStmts) in(tx *sql.Tx) checkInStmts {
	return checkInStmts{visits: tx.Stmt(c.visits), checkIn: tx.Stmt(c.checkIn),
		amenity: tx.Stmt(c.amenity), count: tx.Stmt(c.count), markDirty: tx.Stmt(c.markDirty)}
}

func (c *checkInStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{c.visits, c.checkIn, c.amenity, c.count, c.markDirty} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
