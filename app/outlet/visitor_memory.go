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
// the writer forgets the days it touched and loads them again (forget).
//
// Memory grows with the day's visitors, about 90 bytes each: 9 MB at
// 100,000 visitors a day, 90 MB at a million. A station sees hundreds.
type visitorMemory struct {
	days [2]dayVisits // the newest day first
}

type dayVisits struct {
	day    string // "" when unused
	visits map[visitorKey][]visit
}

// visitorKey is a visitor hash (32 hex digits) as 16 bytes.
type visitorKey [16]byte

// visit is one stored amenity of a visitor's check-in.
type visit struct {
	amenity string
	at      int64 // Unix ms
}

func keyOf(hash string) (visitorKey, bool) {
	var k visitorKey
	_, err := hex.Decode(k[:], []byte(hash))
	return k, err == nil && len(hash) == 2*len(k)
}

// of returns the visits stored for day, loading the day inside tx when it
// is not in memory. A day newer than both held pushes the older out.
func (m *visitorMemory) of(tx *sql.Tx, day string) (map[visitorKey][]visit, error) {
	for _, d := range m.days {
		if d.day == day {
			return d.visits, nil
		}
	}
	visits, err := loadVisits(tx, day)
	if err != nil {
		return nil, err
	}
	loaded := dayVisits{day: day, visits: visits}
	if day > m.days[0].day {
		m.days[0], m.days[1] = loaded, m.days[0]
	} else {
		m.days[1] = loaded // an older day, rarely: keep the newest
	}
	return visits, nil
}

// forget drops what is held, to be loaded again from disk.
func (m *visitorMemory) forget() { m.days = [2]dayVisits{} }

// loadVisits reads the visits stored for day.
func loadVisits(tx *sql.Tx, day string) (map[visitorKey][]visit, error) {
	rows, err := tx.Query(`SELECT visitor, amenity, at FROM checkin_amenities WHERE day = ? AND visitor IS NOT NULL`, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	visits := map[visitorKey][]visit{}
	codes := map[string]string{} // one copy of each amenity code
	for rows.Next() {
		var hash, amenity string
		var at int64
		if err := rows.Scan(&hash, &amenity, &at); err != nil {
			return nil, err
		}
		k, ok := keyOf(hash)
		if !ok {
			continue // not a hash this writer made; it matches no visitor
		}
		if c, ok := codes[amenity]; ok {
			amenity = c
		} else {
			codes[amenity] = amenity
		}
		visits[k] = append(visits[k], visit{amenity: amenity, at: at})
	}
	return visits, rows.Err()
}
