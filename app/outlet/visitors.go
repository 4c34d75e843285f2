package outlet

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"

	"harbor/models"
)

// VisitorIDLen is the length of a visitor cookie value: 16 random bytes, base64url.
const VisitorIDLen = 22

// NewVisitorID returns a fresh random visitor id for the visitor cookie.
func NewVisitorID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidVisitorID reports whether id looks like one NewVisitorID made.
func ValidVisitorID(id string) bool {
	if len(id) != VisitorIDLen {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil
}

// saltedHasher makes the check-in writer's salted hashes: HMAC(salt of
// the day, ·), with one HMAC per day reused for every check-in (only the
// writer goroutine uses it). The day's salt must be loaded already
// (loadDaySalt): the writer does that before it opens a batch's
// transaction.
type saltedHasher struct {
	day string
	mac hash.Hash
	out []byte
}

// sum returns HMAC(salt of day, the parts one after the other), valid
// until the next call.
func (h *saltedHasher) sum(s *Service, day string, parts ...string) ([]byte, error) {
	if h.day != day || h.mac == nil {
		s.saltMu.Lock()
		salt, ok := s.salts[day]
		s.saltMu.Unlock()
		if !ok {
			return nil, fmt.Errorf("visitor salt of %s not loaded", day)
		}
		h.day, h.mac = day, hmac.New(sha256.New, salt)
	}
	h.mac.Reset()
	for _, p := range parts {
		h.mac.Write([]byte(p))
	}
	h.out = h.mac.Sum(h.out[:0])
	return h.out, nil
}

// visitor returns what is stored instead of a visitor id: HMAC(salt of
// day, id), 16 bytes, as 32 hex digits and as a key of visitorMemory.
func (h *saltedHasher) visitor(s *Service, day, id string) (string, visitorKey, error) {
	var k visitorKey
	sum, err := h.sum(s, day, id)
	if err != nil {
		return "", k, err
	}
	copy(k[:], sum)
	return hex.EncodeToString(k[:]), k, nil
}

// client returns what a check-in stores to count the day's check-ins per
// client address: HMAC(salt of day, address), 8 bytes.
func (h *saltedHasher) client(s *Service, day, addr string) (uint64, error) {
	sum, err := h.sum(s, day, "client\x00", addr)
	if err != nil {
		return 0, err
	}
	return binary.BigEndian.Uint64(sum), nil
}

// loadDaySalt makes sure the day's salt is cached, creating it on first use
// in a transaction of its own, committed before any visitor hash made with
// it is stored. It deletes salts older than two days.
func (s *Service) loadDaySalt(db *sql.DB, day string) error {
	s.saltMu.Lock()
	defer s.saltMu.Unlock()
	if _, ok := s.salts[day]; ok {
		return nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO day_salts(day, salt) VALUES (?, ?) ON CONFLICT(day) DO NOTHING`, day, fresh); err != nil {
		return err
	}
	var salt []byte
	if err := tx.QueryRow(`SELECT salt FROM day_salts WHERE day = ?`, day).Scan(&salt); err != nil {
		return err
	}
	// Forget salts older than two days: yesterday's stays for late dedupe.
	cutoff := models.AddDays(day, -2)
	if _, err := tx.Exec(`DELETE FROM day_salts WHERE day < ?`, cutoff); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	for d := range s.salts {
		if d < cutoff {
			delete(s.salts, d)
		}
	}
	s.salts[day] = salt
	return nil
}
