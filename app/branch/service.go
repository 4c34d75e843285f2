// Package branch holds the branch role's domain services: the outlet
// directory, enrollment of outlet keys, ingest of signed daily reports and
// the figures summed across outlets. GORM stays inside this package;
// handlers call its methods.
package branch

import (
	"context"
	"crypto/ed25519"
	"embed"
	"fmt"
	"sync"
	"time"

	"harbor/app/db"
	"harbor/config"
)

// migrations holds one folder of versioned SQL per backend, named by the
// config's driver; both folders carry the same versions.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Service is the branch's domain layer over its database.
type Service struct {
	db  *db.DB
	cfg config.Branch
	now func() time.Time
	loc *time.Location // the console's time zone (--timezone)

	directory directoryCache // the public outlet directory, see directory.go
	keys      keyCache       // outlets' push keys, see outlet_keys.go
	writer    *ingestWriter  // stores checked reports, see ingest_writer.go

	// The key credentials for the public gateway are signed with (vouch.go).
	vouchOnce sync.Once
	vouchKey  ed25519.PrivateKey
	vouchErr  error
}

// Open opens (creating and migrating if needed) the branch database named by
// cfg. now is the clock; nil means time.Now. cfg must be validated.
func Open(ctx context.Context, cfg config.Branch, now func() time.Time) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	d, err := openDB(cfg)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(d.Write.WithContext(ctx), migrations, "migrations/"+cfg.DBDriver); err != nil {
		d.Close()
		return nil, err
	}
	loc := cfg.Location
	if loc == nil {
		if loc, err = time.LoadLocation(config.BranchDefaults().TimeZone); err != nil {
			d.Close()
			return nil, err
		}
	}
	s := &Service{db: d, cfg: cfg, now: now, loc: loc}
	s.startWriter()
	return s, nil
}

// openDB opens the backend cfg names: SQLite by default, or PostgreSQL.
func openDB(cfg config.Branch) (*db.DB, error) {
	switch cfg.DBDriver {
	case config.DriverSQLite:
		return db.OpenSQLite(cfg.DBPath)
	case config.DriverPostgres:
		return db.OpenPostgres(cfg.DBDSN)
	}
	return nil, fmt.Errorf("database driver %q is not supported (validate the config first)", cfg.DBDriver)
}

// Close stores the reports already taken, then closes the database.
func (s *Service) Close() error {
	s.stopWriter()
	return s.db.Close()
}

// DB exposes the database for backups, health checks and tests.
func (s *Service) DB() *db.DB { return s.db }

// Now returns the service clock's current time.
func (s *Service) Now() time.Time { return s.now() }

// Config returns the configuration the service was opened with.
func (s *Service) Config() config.Branch { return s.cfg }

// Ping checks that the database answers.
func (s *Service) Ping(ctx context.Context) error {
	var one int
	return s.db.Read.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// millis converts t to the unix milliseconds the schema stores.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts a stored instant back; nil stays nil.
func fromMillis(ms *int64) *time.Time {
	if ms == nil {
		return nil
	}
	t := time.UnixMilli(*ms).UTC()
	return &t
}
