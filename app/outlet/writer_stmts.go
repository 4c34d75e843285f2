package outlet

import (
	"database/sql"
	"errors"
)

// checkInStmts are the check-in path's statements, prepared once on the
// single writer connection: no SQL parsing and no GORM reflection per
// check-in.
type checkInStmts struct {
	checkIn   *sql.Stmt
	amenity   *sql.Stmt
	count     *sql.Stmt
	markDirty *sql.Stmt
	applied   *sql.Stmt
}

const (
	sqlInsertCheckIn = `INSERT INTO checkins(at, day, hour, channel, category, visitor, people, staff, client, flags)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	sqlInsertAmenity = `INSERT INTO checkin_amenities(checkin_id, amenity, day, at, visitor, people)
		VALUES (?, ?, ?, ?, ?, ?)`

	sqlCount = `INSERT INTO day_counts(day, kind, code, check_ins, visitors) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(day, kind, code) DO UPDATE SET check_ins = check_ins + excluded.check_ins,
		visitors = visitors + excluded.visitors`

	sqlMarkDirty = `INSERT INTO report_dirty(day, gen) VALUES (?, 1)
		ON CONFLICT(day) DO UPDATE SET gen = report_dirty.gen + 1`

	sqlApplied = `INSERT INTO gateway_applied(gateway, item, applied_at, outcome) VALUES (?, ?, ?, ?)
		ON CONFLICT(gateway, item) DO NOTHING`
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
	c.checkIn = prep(sqlInsertCheckIn)
	c.amenity = prep(sqlInsertAmenity)
	c.count = prep(sqlCount)
	c.markDirty = prep(sqlMarkDirty)
	c.applied = prep(sqlApplied)
	if err != nil {
		c.close()
	}
	return err
}

// in returns the statements bound to tx.
func (c *checkInStmts) in(tx *sql.Tx) checkInStmts {
	return checkInStmts{checkIn: tx.Stmt(c.checkIn), amenity: tx.Stmt(c.amenity), count: tx.Stmt(c.count),
		markDirty: tx.Stmt(c.markDirty), applied: tx.Stmt(c.applied)}
}

func (c *checkInStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{c.checkIn, c.amenity, c.count, c.markDirty, c.applied} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}
