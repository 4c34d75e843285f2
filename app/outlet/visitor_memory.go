package outlet

import (
	"database/sql"
	"encoding/hex"
)

// visitorMemory is the check-in writer's record of the visits stored for
// the current day, and for the day before (check-ins queued across
// midnight): per visitor hash, each amenity and when. Dedupe and the day's
// distinct-visitor counters read it instead of the database. It replaces an
// index on checkins(visitor): visitor hashes are random by design, so that
// index dirtied a page of its own for nearly every check-in, and dropping it
// (migration 0005) was worth about a quarter of the writer's time.
//
// It is exact: the writer is the only code that stores check-ins, it adds
// every visit it stores, and a day is loaded from checkin_amenities inside
// the writer's transaction when first needed (after a start, on a new day).
// A batch that rolls back leaves visits in memory that are not on disk, so
// the writer then forgets everything and loads again (forget).
//
// Nothing in it holds a pointer, so the garbage collector never scans it:
// a map from visitor to its newest visit, and the visits in one slice, each
// linking to the visitor's visit before it. About 50 bytes a visitor:
// 5 MB at 100,000 visitors a day, 50 MB at a million. A station sees
// hundreds.
type visitorMemory struct {
	days  [2]dayVisits      // the newest day first
	codes []string          // amenity codes by number
	code  map[string]uint16 // and numbers by code
}

type dayVisits struct {
	day    string                // "" when unused
	newest map[visitorKey]uint32 // index+1 in log of the visitor's newest visit
	log    []visitRecord
	// clients counts phone check-ins per client address hash; top is the
	// most from one address (the top_address signal).
	clients map[uint64]uint32
	top     uint32
}

// visitorKey is a visitor hash (32 hex digits) as 16 bytes.
type visitorKey [16]byte

type visitRecord struct {
	at      int64  // Unix ms
	before  uint32 // index+1 of the same visitor's previous visit; 0: none
	amenity uint16 // in visitorMemory.codes
}

// visit is one stored amenity of a visitor's check-in, as store reads it.
type visit struct {
	amenity string
	at      int64 // Unix ms
}

func keyOf(hash string) (visitorKey, bool) {
	var k visitorKey
	_, err := hex.Decode(k[:], []byte(hash))
	return k, err == nil && len(hash) == 2*len(k)
}

// day returns the visits stored for day, loading the day inside tx when it
// is not held. A day newer than both held pushes the older out.
func (m *visitorMemory) day(tx *sql.Tx, day string) (*dayVisits, error) {
	for i := range m.days {
		if m.days[i].day == day {
			return &m.days[i], nil
		}
	}
	loaded, err := m.load(tx, day)
	if err != nil {
		return nil, err
	}
	i := 1 // an older day, rarely: keep the newest
	if day > m.days[0].day {
		m.days[1], i = m.days[0], 0
	}
	m.days[i] = loaded
	return &m.days[i], nil
}

// forget drops what is held, to be loaded again from disk.
func (m *visitorMemory) forget() { m.days = [2]dayVisits{} }

// visits appends visitor k's visits to buf, newest first.
func (m *visitorMemory) visits(d *dayVisits, k visitorKey, buf []visit) []visit {
	for i := d.newest[k]; i != 0; i = d.log[i-1].before {
		r := d.log[i-1]
		buf = append(buf, visit{amenity: m.codes[r.amenity], at: r.at})
	}
	return buf
}

// add remembers that visitor k used amenity at at.
func (m *visitorMemory) add(d *dayVisits, k visitorKey, amenity string, at int64) {
	n, ok := m.code[amenity]
	if !ok {
		if m.code == nil {
			m.code = map[string]uint16{}
		}
		n = uint16(len(m.codes)) // the catalog and custom amenities: far fewer than 65,536
		m.codes = append(m.codes, amenity)
		m.code[amenity] = n
	}
	d.log = append(d.log, visitRecord{at: at, before: d.newest[k], amenity: n})
	d.newest[k] = uint32(len(d.log))
}

// countClient counts one more check-in from client and returns by how
// much that raised the most from one address.
func (d *dayVisits) countClient(client uint64) int {
	n := d.clients[client] + 1
	d.clients[client] = n
	if n <= d.top {
		return 0
	}
	grew := n - d.top
	d.top = n
	return int(grew)
}

// load reads the visits and the check-ins per client address stored for
// day.
func (m *visitorMemory) load(tx *sql.Tx, day string) (dayVisits, error) {
	d := dayVisits{newest: map[visitorKey]uint32{}, clients: map[uint64]uint32{}}
	if err := d.loadClients(tx, day); err != nil {
		return d, err
	}
	rows, err := tx.Query(`SELECT visitor, amenity, at FROM checkin_amenities
		WHERE day = ? AND visitor IS NOT NULL ORDER BY at`, day)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	for rows.Next() {
		var hash, amenity string
		var at int64
		if err := rows.Scan(&hash, &amenity, &at); err != nil {
			return d, err
		}
		if k, ok := keyOf(hash); ok { // anything else matches no visitor
			m.add(&d, k, amenity, at)
		}
	}
	d.day = day
	return d, rows.Err()
}

func (d *dayVisits) loadClients(tx *sql.Tx, day string) error {
	rows, err := tx.Query(`SELECT client, COUNT(*) FROM checkins WHERE day = ? AND client IS NOT NULL GROUP BY client`, day)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var client int64
		var n uint32
		if err := rows.Scan(&client, &n); err != nil {
			return err
		}
		d.clients[uint64(client)] = n
		d.top = max(d.top, n)
	}
	return rows.Err()
}
