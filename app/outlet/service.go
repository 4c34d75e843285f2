// Package outlet holds the outlet role's domain services: profile and
// amenities, QR tokens, visitor counting, check-ins and daily reports. GORM
// stays inside this package; handlers call its methods.
package outlet

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"harbor/app/db"
	"harbor/app/signing"
	"harbor/config"
	"harbor/models"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DBFile is the database's file name inside the data folder.
const DBFile = "outlet.db"

// Defaults for a first start with no configuration.
const (
	DemoCode = "DEMO01"
	DemoName = "劳动者港湾（演示网点）"
)

// Service is the outlet's domain layer over one SQLite database.
type Service struct {
	db     *db.DB
	cfg    config.Outlet
	now    func() time.Time
	secret []byte

	profile atomic.Pointer[models.Profile] // cached; reloaded after every change
	top     atomic.Pointer[topCache]       // TopAmenities of a day and profile

	saltMu sync.Mutex
	salts  map[string][]byte // local day -> salt

	writer *checkInWriter // group commit for check-ins, see writer.go

	// sheetWake wakes the gateway's puller, so that the gateway gets
	// a changed sheet (amenities, replaced posters) at once.
	sheetWake chan struct{}
}

// Open opens (creating and migrating if needed) the outlet database in
// cfg.DataDir and makes sure the profile, catalog and secrets exist. It
// settles the code, time zone and base URL with the recorded ones
// (settings.go): Config returns those in force. now is the clock; nil
// means time.Now.
func Open(ctx context.Context, cfg config.Outlet, now func() time.Time) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	d, err := db.OpenSQLite(filepath.Join(cfg.DataDir, DBFile))
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(d.Write, migrations, "migrations"); err != nil {
		d.Close()
		return nil, err
	}
	s := &Service{db: d, cfg: cfg, now: now, salts: map[string][]byte{}, sheetWake: make(chan struct{}, 1)}
	if err := s.bootstrap(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if err := s.checkIfRestored(ctx); err != nil {
		d.Close()
		return nil, err
	}
	if s.writer, err = newCheckInWriter(s); err != nil {
		d.Close()
		return nil, err
	}
	return s, nil
}

// Close commits the check-ins already queued, then closes the database.
func (s *Service) Close() error {
	s.writer.close()
	return s.db.Close()
}

// DB exposes the database for backups and health checks.
func (s *Service) DB() *db.DB { return s.db }

// Now returns the service clock's current time.
func (s *Service) Now() time.Time { return s.now() }

// Location is the outlet's time zone.
func (s *Service) Location() *time.Location { return s.cfg.Location }

// Config returns the configuration the service was opened with, its time
// zone and base URL as settled with the recorded ones.
func (s *Service) Config() config.Outlet { return s.cfg }

// bootstrap creates secrets, the demo profile and the enabled catalog on a
// new database, settles the serving settings (settings.go) and applies
// --outlet-name when given.
func (s *Service) bootstrap(ctx context.Context) error {
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing int64
		if err := tx.Raw(`SELECT COUNT(*) FROM settings`).Scan(&existing).Error; err != nil {
			return err
		}
		defaults := map[string]string{
			"secret":         randomHex(32),
			"outlet_name":    DemoName,
			"poster_version": "1",
			"display_key":    randomToken(18),
		}
		for k, v := range defaults {
			if err := tx.Exec(`INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING`, k, v).Error; err != nil {
				return err
			}
		}
		if err := s.settleSettings(tx, existing == 0); err != nil {
			return err
		}
		if err := startEvidence(tx, s.now(), s.cfg.Location); err != nil {
			return err
		}
		if s.cfg.Name != "" {
			if err := setSetting(tx, "outlet_name", s.cfg.Name); err != nil {
				return err
			}
		}
		var n int64
		if err := tx.Model(&models.Amenity{}).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			rows := make([]models.Amenity, len(models.Catalog))
			for i, a := range models.Catalog {
				rows[i] = models.Amenity{Code: a.Code, ZH: a.ZH, EN: a.EN, Group: a.Group, Icon: a.Code, Enabled: true, Position: i}
			}
			return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error
		}
		return nil
	})
	if models.ErrorCode(err) == models.ECONFLICT {
		return err // a flag contradicts a recorded setting: the message says what to do
	} else if err != nil {
		return fmt.Errorf("initialise outlet database: %w", err)
	}
	secret, err := s.setting(ctx, "secret")
	if err != nil {
		return err
	}
	if s.secret, err = hex.DecodeString(secret); err != nil || len(s.secret) < 32 {
		return errors.New("the stored secret is damaged; restore a backup")
	}
	return s.reloadProfile(ctx)
}

// DeriveKey is a key for purpose (e.g. "login forms") derived from the
// outlet's secret: the same across restarts, never the secret itself.
func (s *Service) DeriveKey(purpose string) []byte { return signing.DeriveKey(s.secret, purpose) }

func setSetting(tx *gorm.DB, key, value string) error {
	return tx.Exec(`INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value).Error
}

func (s *Service) setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.Read.WithContext(ctx).Raw(`SELECT value FROM settings WHERE key = ?`, key).Scan(&v).Error
	return v, err
}

// reloadProfile refreshes the cached profile from the database.
func (s *Service) reloadProfile(ctx context.Context) error {
	var rows []struct{ Key, Value string }
	if err := s.db.Write.WithContext(ctx).Raw(`SELECT key, value FROM settings`).Scan(&rows).Error; err != nil {
		return err
	}
	p := &models.Profile{TimeZone: s.cfg.TimeZone}
	for _, r := range rows {
		switch r.Key {
		case "outlet_code":
			p.Code = r.Value
		case "outlet_name":
			p.Name = r.Value
		case "poster_version":
			p.PosterVersion, _ = strconv.Atoi(r.Value)
		case "opening_hours":
			p.OpeningHours = r.Value
		case settingPosterReplacedAt:
			p.PosterReplacedAt, _ = strconv.ParseInt(r.Value, 10, 64)
		}
	}
	if err := s.db.Write.WithContext(ctx).Where("enabled = ?", true).Order("position, code").Find(&p.Amenities).Error; err != nil {
		return err
	}
	p.Hours = models.ParseHours(p.OpeningHours)
	s.profile.Store(p)
	select {
	case s.sheetWake <- struct{}{}:
	default:
	}
	return nil
}

// Profile returns the outlet's profile with its enabled amenities, in order.
// The result is shared: do not modify it.
func (s *Service) Profile() *models.Profile { return s.profile.Load() }

// EnabledAmenity returns the enabled amenity with the given code.
func (s *Service) EnabledAmenity(code string) (models.Amenity, bool) {
	for _, a := range s.Profile().Amenities {
		if a.Code == code {
			return a, true
		}
	}
	return models.Amenity{}, false
}

// DisplayKey is the secret that unlocks the lobby display.
func (s *Service) DisplayKey(ctx context.Context) (string, error) {
	return s.setting(ctx, "display_key")
}

// Ping checks that the database answers.
func (s *Service) Ping(ctx context.Context) error {
	var one int
	return s.db.Read.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
