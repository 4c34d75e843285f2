package branch

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"harbor/config"
	"harbor/models"
)

// enrollmentCodeBytes is the randomness of an enrollment code: 160 bits.
const enrollmentCodeBytes = 20

// EnrollmentCode is a one-time code binding an outlet's key. Code is shown
// once; the branch keeps only its hash.
type EnrollmentCode struct {
	Outlet    string    `json:"outlet"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Enrolled is the outlet a key was bound to.
type Enrolled struct {
	Outlet string `json:"outlet"`
	Name   string `json:"name"`
}

// NewEnrollmentCode issues a fresh one-time code for a registered, active
// outlet (the first one expired, or the outlet lost its key); earlier unused
// codes stop working. Enrolling with it replaces the outlet's key.
func (s *Service) NewEnrollmentCode(ctx context.Context, outlet string, ttl time.Duration) (EnrollmentCode, error) {
	var ec EnrollmentCode
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var status []string
		if err := tx.Raw(`SELECT status FROM outlets WHERE code = ?`, outlet).Scan(&status).Error; err != nil {
			return err
		}
		if len(status) == 0 {
			return models.Errorf(models.ENOTFOUND, "no outlet %q is registered", outlet)
		}
		if status[0] == StatusRevoked {
			return models.Errorf(models.EREVOKED, "outlet %s has been revoked", outlet)
		}
		if err := expireCodes(tx, outlet, millis(s.now())); err != nil {
			return err
		}
		var err error
		ec, err = s.issueCode(tx, outlet, ttl)
		return err
	})
	return ec, err
}

// issueCode stores the hash of a new random code for outlet.
func (s *Service) issueCode(tx *gorm.DB, outlet string, ttl time.Duration) (EnrollmentCode, error) {
	if ttl == 0 {
		ttl = s.cfg.EnrollTTL
	}
	if err := config.ValidateEnrollTTL("enrollment code lifetime", ttl); err != nil {
		return EnrollmentCode{}, models.Errorf(models.EINVALID, "%s", err.Error())
	}
	raw := make([]byte, enrollmentCodeBytes)
	if _, err := rand.Read(raw); err != nil {
		return EnrollmentCode{}, err
	}
	code := groupCode(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	now := s.now()
	ec := EnrollmentCode{Outlet: outlet, Code: code, ExpiresAt: now.Add(ttl).UTC()}
	err := tx.Exec(`INSERT INTO enrollment_codes(code_hash, outlet, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		hashCode(code), outlet, millis(now), millis(ec.ExpiresAt)).Error
	return ec, err
}

// groupCode writes a code in groups of four, easy to read out and type.
func groupCode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// hashCode is the stored form of a code: case, spaces and dashes ignored.
func hashCode(code string) string {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// expireCodes ends every unused code of outlet now.
func expireCodes(tx *gorm.DB, outlet string, now int64) error {
	return tx.Exec(`UPDATE enrollment_codes SET expires_at = ? WHERE outlet = ? AND used_at IS NULL AND expires_at > ?`,
		now, outlet, now).Error
}

// Enroll binds pub to the outlet the one-time code was issued for, and
// pins zone, the outlet's IANA time zone, as the one its reports must be
// in ("" from an outlet older than this check: its first accepted report
// pins it). A code works once and only before it expires.
func (s *Service) Enroll(ctx context.Context, code string, pub ed25519.PublicKey, zone string) (Enrolled, error) {
	if len(pub) != ed25519.PublicKeySize {
		return Enrolled{}, models.Errorf(models.EINVALID, "public key: want %d bytes of Ed25519 key", ed25519.PublicKeySize)
	}
	if code == "" || len(code) > 100 {
		return Enrolled{}, models.Errorf(models.EINVALID, "enrollment code: give the code printed by 'harbor branch outlet add'")
	}
	var pinned *string
	if zone != "" {
		if err := checkZone(zone); err != nil {
			return Enrolled{}, err
		}
		pinned = &zone
	}
	key := base64.StdEncoding.EncodeToString(pub)
	var out Enrolled
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		out, err = s.enroll(tx, hashCode(code), key, pinned)
		return err
	})
	if err == nil {
		s.keys.forget(out.Outlet) // after the commit, so that no lookup caches the old key again
	}
	return out, err
}

func (s *Service) enroll(tx *gorm.DB, codeHash, key string, zone *string) (Enrolled, error) {
	var codes []struct {
		Outlet    string
		ExpiresAt int64
		UsedAt    *int64
	}
	if err := tx.Raw(`SELECT outlet, expires_at, used_at FROM enrollment_codes WHERE code_hash = ?`,
		codeHash).Scan(&codes).Error; err != nil {
		return Enrolled{}, err
	}
	if len(codes) == 0 {
		return Enrolled{}, models.Errorf(models.EUNAUTHORIZED, "unknown enrollment code: check it was typed exactly as printed")
	}
	outlet, now := codes[0].Outlet, millis(s.now())
	var o struct{ Name, Status string }
	if err := tx.Raw(`SELECT name, status FROM outlets WHERE code = ?`, outlet).Scan(&o).Error; err != nil {
		return Enrolled{}, err
	}
	switch {
	case o.Status == StatusRevoked:
		return Enrolled{}, models.Errorf(models.EREVOKED, "outlet %s has been revoked", outlet)
	case codes[0].UsedAt != nil:
		return Enrolled{}, models.Errorf(models.EENROLLUSED, "this enrollment code was already used; ask the branch for a new one")
	case codes[0].ExpiresAt <= now:
		return Enrolled{}, models.Errorf(models.EENROLLEXPIRED, "this enrollment code has expired; ask the branch for a new one")
	}
	var taken int64
	if err := tx.Raw(`SELECT COUNT(*) FROM outlets WHERE public_key = ? AND code <> ?`, key, outlet).Scan(&taken).Error; err != nil {
		return Enrolled{}, err
	}
	if taken > 0 {
		return Enrolled{}, errKeyTaken()
	}
	res := tx.Exec(`UPDATE enrollment_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL`, now, codeHash)
	if res.Error != nil {
		return Enrolled{}, res.Error
	}
	if res.RowsAffected != 1 {
		return Enrolled{}, models.Errorf(models.EENROLLUSED, "this enrollment code was already used; ask the branch for a new one")
	}
	err := tx.Exec(`UPDATE outlets SET public_key = ?, enrolled_at = ?, last_contact_at = ?, timezone = ? WHERE code = ?`,
		key, now, now, zone, outlet).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) { // another outlet enrolled the key meanwhile (PostgreSQL)
		return Enrolled{}, errKeyTaken()
	}
	return Enrolled{Outlet: outlet, Name: o.Name}, err
}

// errKeyTaken refuses a key that another outlet enrolled.
func errKeyTaken() error {
	return models.Errorf(models.ECONFLICT, "this public key is already enrolled for another outlet; generate a new key pair")
}
