// Package gateway is the public gateway's domain (docs/GATEWAY.md): the
// station sheets the outlets send, the worker pages' station for each
// (codes checked against the sheets' digests), the per-outlet inbox
// where every accepted scan is durable before the phone is answered, and
// the pulls that hand the inbox to its outlet. GORM and SQL stay here.
package gateway

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"harbor/app/db"
	"harbor/config"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Service is the gateway over its SQLite inbox.
type Service struct {
	db     *db.DB
	cfg    config.Gateway
	now    func() time.Time
	id     string // this instance: an outlet's cursor belongs to it
	secret []byte // signs the form tickets after a scan of a lobby screen

	stations        stationSet
	inbox           *inboxWriter
	waiters         waiters
	signaturesSwept atomic.Int64 // when expired pull signatures were last deleted (unix ms)
	salts           daySalts

	stopping chan struct{} // closed by Stop: held pulls answer at once
	stopOnce sync.Once
}

// Open opens (creating and migrating if needed) the gateway's database in
// cfg.DataDir. now is the clock; nil means time.Now.
func Open(ctx context.Context, cfg config.Gateway, now func() time.Time) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	d, err := db.OpenSQLite(filepath.Join(cfg.DataDir, config.GatewayDBFile))
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(d.Write, migrations, "migrations"); err != nil {
		d.Close()
		return nil, err
	}
	s := &Service{db: d, cfg: cfg, now: now, stopping: make(chan struct{})}
	s.salts.db = d
	if err := s.bootstrap(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := s.loadStations(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if s.inbox, err = newInboxWriter(s); err != nil {
		d.Close()
		return nil, err
	}
	return s, nil
}

// bootstrap makes the instance id and the ticket secret on a new database.
func (s *Service) bootstrap(ctx context.Context) error {
	w := s.db.Write.WithContext(ctx)
	for _, k := range []string{"id", "secret"} {
		if err := w.Exec(`INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, k, randomHex(32)).Error; err != nil {
			return fmt.Errorf("initialise gateway database: %w", err)
		}
	}
	var rows []struct{ Key, Value string }
	if err := w.Raw(`SELECT key, value FROM settings WHERE key IN ('id', 'secret')`).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		switch r.Key {
		case "id":
			s.id = r.Value[:16]
		case "secret":
			s.secret, _ = hex.DecodeString(r.Value)
		}
	}
	if s.id == "" || len(s.secret) != 32 {
		return errors.New("the gateway's settings are damaged; restore a backup")
	}
	return nil
}

// Stop makes held pulls answer now, before the server drains.
func (s *Service) Stop() { s.stopOnce.Do(func() { close(s.stopping) }) }

// Close commits what the inbox writer holds, then closes the database.
func (s *Service) Close() error {
	s.Stop()
	s.inbox.close()
	return s.db.Close()
}

// ID is this gateway instance's id.
func (s *Service) ID() string { return s.id }

// Now is the service clock's time.
func (s *Service) Now() time.Time { return s.now() }

// DB exposes the database for health checks and backups.
func (s *Service) DB() *db.DB { return s.db }

// Ping checks that the database answers.
func (s *Service) Ping(ctx context.Context) error {
	var one int
	return s.db.Read.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// retention is how long acknowledged items are kept.
func (s *Service) retention() time.Duration {
	return time.Duration(s.cfg.RetentionDays) * 24 * time.Hour
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
