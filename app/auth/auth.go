// Package auth is the console's accounts, server-side sessions, login
// throttling and API tokens, for any role: the outlet console (manager,
// staff) and the branch console use it with their own tables and roles.
//
// The tables are created by each role's migrations and must have these
// columns (see app/outlet/migrations/0002_staff.sql):
//
//	Users:    id, name (UNIQUE COLLATE NOCASE), role, password_hash, disabled, created_at, last_login_at
//	Sessions: id_hash (PK), user_id, csrf, created_at, last_seen (indexed: user_id, created_at, last_seen)
//	Failures: key, at (indexed: (key, at) and at)
//	Tokens:   id, name, hash (UNIQUE), created_by, created_at, last_used_at, revoked_at
//
// Instants are unix milliseconds UTC. SQL runs on the database's single
// writer and read pool; nothing here keeps state that another process
// sharing the file would miss, but the login attempts still being verified
// (throttle.go). The SQL is portable between SQLite and
// PostgreSQL (the branch runs on either): names are compared by lower(),
// so a role's schema makes them unique case-insensitively (SQLite: COLLATE
// NOCASE; PostgreSQL: a unique index on lower(name)).
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"time"

	"harbor/app/db"
)

// Tables names the four tables a role keeps its console data in.
type Tables struct {
	Users, Sessions, Failures, Tokens string
}

// Config is what a role tells the store.
type Config struct {
	Tables Tables
	Roles  []string         // allowed roles, e.g. manager, staff
	Now    func() time.Time // clock; nil: time.Now
	// Location formats the "try again at" time of a throttled login; nil: UTC.
	Location *time.Location
	// IdleTimeout ends a session not used for this long (default 30 minutes).
	IdleTimeout time.Duration
	// Params are the argon2id costs for new hashes (default OWASPParams).
	Params Argon2Params
	// LoginKey signs the login forms' CSRF tokens (LoginToken): derived
	// from a secret the role keeps, so that a form survives a restart and
	// works on every server of a role that share the secret. Nil: random
	// per process (the CLI's user commands, which show no forms).
	LoginKey []byte
}

// Defaults of Config.
const (
	DefaultIdleTimeout = 30 * time.Minute
	// MaxSessionAge ends any session this long after login, used or not.
	MaxSessionAge = 12 * time.Hour
	// touchEvery limits how often a session's last_seen is written.
	touchEvery = time.Minute
	// maxConcurrentHashes bounds the memory argon2 can take at once.
	maxConcurrentHashes = 4
)

// Store is one role's accounts, sessions and tokens.
type Store struct {
	db   *db.DB
	cfg  Config
	t    Tables
	hash chan struct{} // semaphore over password hashing
	// dummyHash is verified for unknown user names, so that a login takes
	// as long whether or not the name exists.
	dummyHash string
	// attempts counts logins before they are verified (throttle.go).
	attempts attempts
	// loginKey signs login forms' CSRF tokens (Config.LoginKey).
	loginKey []byte
}

var identifier = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// New returns the store over d. The tables must exist (run the role's
// migrations first).
func New(d *db.DB, cfg Config) (*Store, error) {
	t := cfg.Tables
	for _, name := range []string{t.Users, t.Sessions, t.Failures, t.Tokens} {
		if !identifier.MatchString(name) {
			return nil, fmt.Errorf("auth: bad table name %q", name)
		}
	}
	if len(cfg.Roles) == 0 {
		return nil, fmt.Errorf("auth: no roles")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.Params.MemoryKiB == 0 {
		cfg.Params = OWASPParams
	}
	s := &Store{db: d, cfg: cfg, t: t, hash: make(chan struct{}, maxConcurrentHashes), loginKey: cfg.LoginKey}
	if len(s.loginKey) == 0 {
		s.loginKey = make([]byte, 32)
		if _, err := rand.Read(s.loginKey); err != nil {
			return nil, err
		}
	}
	dummy, err := dummyHash(cfg.Params)
	if err != nil {
		return nil, err
	}
	s.dummyHash = dummy
	return s, nil
}

// IdleTimeout is how long an unused session lives.
func (s *Store) IdleTimeout() time.Duration { return s.cfg.IdleTimeout }

// ValidRole reports whether role is one of the store's roles.
func (s *Store) ValidRole(role string) bool { return slices.Contains(s.cfg.Roles, role) }

// Roles lists the store's roles.
func (s *Store) Roles() []string { return slices.Clone(s.cfg.Roles) }

func (s *Store) nowMilli() int64 { return s.cfg.Now().UnixMilli() }

// hashPassword hashes under the semaphore.
func (s *Store) hashPassword(password string) (string, error) {
	s.hash <- struct{}{}
	defer func() { <-s.hash }()
	return HashPassword(password, s.cfg.Params)
}

// verifyPassword verifies under the semaphore.
func (s *Store) verifyPassword(password, encoded string) (bool, error) {
	s.hash <- struct{}{}
	defer func() { <-s.hash }()
	return VerifyPassword(password, encoded)
}

// randomSecret returns n random bytes, base64url.
func randomSecret(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// digest is what the database keeps of a session id or API token.
func digest(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
