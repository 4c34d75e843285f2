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

// visitorHash returns HMAC(salt of day, id): what is stored instead of the
// id. The day's salt must be loaded already (loadDaySalt): the writer does
// that before it opens a batch's transaction.
func (s *Service) visitorHash(day, id string) (string, error) {
	sum, err := s.salted(day, id)
	return hex.EncodeToString(sum[:16]), err
}

// clientHash returns HMAC(salt of day, client address) cut to 8 bytes:
// what a check-in stores to count the day's check-ins per address.
func (s *Service) clientHash(day, addr string) (uint64, error) {
	sum, err := s.salted(day, "client\x00"+addr)
	return binary.BigEndian.Uint64(sum), err
}

// salted is HMAC(salt of day, text); the salt must be loaded.
func (s *Service) salted(day, text string) ([]byte, error) {
	s.saltMu.Lock()
	salt, ok := s.salts[day]
	s.saltMu.Unlock()
	if !ok {
		return make([]byte, sha256.Size), fmt.Errorf("visitor salt of %s not loaded", day)
	}
	h := hmac.New(sha256.New, salt)
	h.Write([]byte(text))
	return h.Sum(nil), nil
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
