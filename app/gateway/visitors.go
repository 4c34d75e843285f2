package gateway

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"hash"
	"sync"
	"time"

	"gorm.io/gorm"

	"harbor/app/db"
	"harbor/models"
)

// daySalts are the random salts of the daily pseudonyms (table day_salts):
// the inbox keeps, instead of a visitor cookie or a client address,
// HMAC(salt of the outlet's local day, outlet, value). A salt is deleted
// two days after its day, so that nothing in the inbox links a worker
// across days, while the outlet still counts one visitor per day.
type daySalts struct {
	db   *db.DB
	mu   sync.Mutex
	days map[string]*sync.Pool // HMACs keyed with the day's salt
}

// pseudonyms returns the day's pseudonym of visitor id (a valid visitor id
// itself, for the outlet) and of the client address ("" when unknown).
func (d *daySalts) pseudonyms(day, outletCode, id, addr string) (visitor, client string, err error) {
	macs, err := d.day(day)
	if err != nil {
		return "", "", err
	}
	h := macs.Get().(hash.Hash)
	defer macs.Put(h)
	var buf [sha256.Size]byte
	h.Reset()
	h.Write([]byte("visitor\x00" + outletCode + "\x00" + id))
	visitor = base64.RawURLEncoding.EncodeToString(h.Sum(buf[:0])[:16])
	if addr != "" {
		h.Reset()
		h.Write([]byte("client\x00" + outletCode + "\x00" + addr))
		client = base64.RawURLEncoding.EncodeToString(h.Sum(buf[:0])[:8])
	}
	return visitor, client, nil
}

// day is day's pool of HMACs keyed with its salt, which is made on its
// first use and stored before any pseudonym made with it; salts of days
// more than two before it go.
func (d *daySalts) day(day string) (*sync.Pool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if p, ok := d.days[day]; ok {
		return p, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	var salt []byte
	err := d.db.Write.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO day_salts(day, salt) VALUES (?, ?) ON CONFLICT(day) DO NOTHING`, day, fresh).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT salt FROM day_salts WHERE day = ?`, day).Row().Scan(&salt); err != nil {
			return err
		}
		return tx.Exec(`DELETE FROM day_salts WHERE day < ?`, models.AddDays(day, -2)).Error
	})
	if err != nil {
		return nil, err
	}
	if d.days == nil {
		d.days = map[string]*sync.Pool{}
	}
	for k := range d.days {
		if k < models.AddDays(day, -2) {
			delete(d.days, k)
		}
	}
	p := &sync.Pool{New: func() any { return hmac.New(sha256.New, salt) }}
	d.days[day] = p
	return p, nil
}

// recentVisits are an outlet's visits inside its dedupe window, by visitor
// pseudonym and amenity, so that the success page says "already recorded"
// as the outlet's would, and a repeat is not queued. The outlet decides
// again when it applies the items, by the same rule.
type recentVisits struct {
	mu    sync.Mutex
	last  map[string]int64 // pseudonym + "\x00" + amenity → unix ms
	swept int64
}

// split sorts amenities into those new for visitor and those it recorded
// inside window before now.
func (r *recentVisits) split(visitor string, amenities []string, now time.Time, window time.Duration) (recorded, duplicates []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	since := now.Add(-window).UnixMilli()
	recorded, duplicates = make([]string, 0, len(amenities)), []string{}
	for _, a := range amenities {
		if at, ok := r.last[visitor+"\x00"+a]; ok && window > 0 && at > since {
			duplicates = append(duplicates, a)
		} else {
			recorded = append(recorded, a)
		}
	}
	return recorded, duplicates
}

// remember records visitor's amenities at now, and forgets visits older
// than a day (the longest dedupe window) once a minute.
func (r *recentVisits) remember(visitor string, amenities []string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		r.last = map[string]int64{}
	}
	ms := now.UnixMilli()
	for _, a := range amenities {
		r.last[visitor+"\x00"+a] = ms
	}
	if ms-r.swept > time.Minute.Milliseconds() {
		r.swept = ms
		for k, at := range r.last {
			if ms-at > (24 * time.Hour).Milliseconds() {
				delete(r.last, k)
			}
		}
	}
}

// loadRecent remembers the check-ins of the last day from the inbox.
func (s *Service) loadRecent(ctx context.Context) error {
	rows, err := s.db.Read.WithContext(ctx).Raw(`SELECT outlet, item FROM inbox WHERE received_at > ? ORDER BY id`,
		s.now().Add(-24*time.Hour).UnixMilli()).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var code, body string
		if err := rows.Scan(&code, &body); err != nil {
			return err
		}
		var it models.InboxItem
		if err := json.Unmarshal([]byte(body), &it); err != nil || it.CheckIn == nil {
			continue
		}
		s.stations.getOrAdd(code).recent.remember(it.CheckIn.Visitor, it.CheckIn.Amenities, time.UnixMilli(it.At))
	}
	return rows.Err()
}
