package outlet

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"gorm.io/gorm"

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
// id. It must run inside the write transaction: it may create the day's salt
// and deletes salts older than two days.
func (s *Service) visitorHash(tx *gorm.DB, day, id string) (string, error) {
	salt, err := s.daySalt(tx, day)
	if err != nil {
		return "", err
	}
	h := hmac.New(sha256.New, salt)
	h.Write([]byte(id))
	return hex.EncodeToString(h.Sum(nil)[:16]), nil
}

func (s *Service) daySalt(tx *gorm.DB, day string) ([]byte, error) {
	s.saltMu.Lock()
	defer s.saltMu.Unlock()
	if salt, ok := s.salts[day]; ok {
		return salt, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if err := tx.Exec(`INSERT INTO day_salts(day, salt) VALUES (?, ?) ON CONFLICT(day) DO NOTHING`, day, fresh).Error; err != nil {
		return nil, err
	}
	var salt []byte
	if err := tx.Raw(`SELECT salt FROM day_salts WHERE day = ?`, day).Row().Scan(&salt); err != nil {
		return nil, err
	}
	// Forget salts older than two days: yesterday's stays for late dedupe.
	cutoff := models.AddDays(day, -2)
	if err := tx.Exec(`DELETE FROM day_salts WHERE day < ?`, cutoff).Error; err != nil {
		return nil, err
	}
	for d := range s.salts {
		if d < cutoff {
			delete(s.salts, d)
		}
	}
	s.salts[day] = salt
	return salt, nil
}
