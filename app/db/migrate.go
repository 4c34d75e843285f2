package db

import (
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Migration is one NNNN_name.sql file of a migrations folder.
type Migration struct {
	Version int
	Name    string
}

// Migrations lists the NNNN_name.sql files in dir of fsys by version.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	files, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var migs []Migration
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".sql") {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(f.Name(), "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", f.Name())
		}
		migs = append(migs, Migration{v, f.Name()})
	}
	sort.Slice(migs, func(i, j int) bool { return migs[i].Version < migs[j].Version })
	return migs, nil
}

// Migrate applies, in order and each in its own transaction, every
// NNNN_name.sql file in dir of fsys not yet recorded in schema_migrations. A
// database whose schema is newer than the binary knows is refused. g may be
// SQLite or PostgreSQL; dir holds that dialect's SQL. On PostgreSQL each
// step holds an advisory lock, so servers starting together migrate once.
func Migrate(g *gorm.DB, fsys fs.FS, dir string) error {
	migs, err := Migrations(fsys, dir)
	if err != nil {
		return err
	}
	err = g.Transaction(func(tx *gorm.DB) error {
		if err := lockMigrations(tx); err != nil {
			return err
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`).Error
	})
	if err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	current, err := SchemaVersion(g)
	if err != nil {
		return err
	}
	if n := len(migs); n > 0 && current > migs[n-1].Version {
		return fmt.Errorf("the database has schema version %d but this harbor knows only up to %d: "+
			"it was written by a newer harbor; run that version or restore a backup", current, migs[n-1].Version)
	}
	for _, m := range migs {
		if m.Version <= current {
			continue
		}
		body, err := fs.ReadFile(fsys, dir+"/"+m.Name)
		if err != nil {
			return err
		}
		if err := g.Transaction(func(tx *gorm.DB) error { return apply(tx, m, string(body)) }); err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// apply runs one migration inside tx unless another process applied it
// while this one waited for the lock.
func apply(tx *gorm.DB, m Migration, body string) error {
	if err := lockMigrations(tx); err != nil {
		return err
	}
	var done int64
	if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&done).Error; err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if err := tx.Exec(body).Error; err != nil {
		return err
	}
	return tx.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().UTC().Format(time.RFC3339)).Error
}

// lockMigrations serializes migrations of one PostgreSQL schema until tx
// ends. SQLite needs nothing: its write transactions already exclude each
// other.
func lockMigrations(tx *gorm.DB) error {
	if tx.Dialector.Name() != Postgres {
		return nil
	}
	return tx.Exec(`SELECT pg_advisory_xact_lock(hashtext('harbor.migrate.' || current_schema()))`).Error
}

// SchemaVersion returns the newest applied migration version.
func SchemaVersion(g *gorm.DB) (int, error) {
	var v int
	err := g.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v).Error
	return v, err
}
