// Package db opens SQLite the way harbor needs it: WAL, foreign keys, a busy
// timeout, one writer connection and a separate pool of read-only readers,
// with versioned schema migrations. The branch can also run on PostgreSQL
// (OpenPostgres), with the same DB type and migrations.
package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"harbor/app/fsperm"
)

// Dialects, as gorm's dialectors name them.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB holds the single writer and the read pool of one SQLite file, or one
// shared pool of a PostgreSQL database.
type DB struct {
	Path  string   // the SQLite file; empty on PostgreSQL
	Write *gorm.DB // SQLite: exactly one connection, as SQLite allows one writer
	Read  *gorm.DB // SQLite: read-only connections, used concurrently
}

// Dialect is SQLite or Postgres.
func (d *DB) Dialect() string { return d.Write.Dialector.Name() }

// OpenSQLite opens (creating if needed) the SQLite database at path. The
// database holds secrets: it is created readable by its owner only, and
// an older one, or its -wal and -shm, loses what others could read (SQLite
// gives new -wal and -shm files the database's mode).
func OpenSQLite(path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	if err := fsperm.CreateNew(path); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	if err := fsperm.RestrictExisting(path, path+"-wal", path+"-shm"); err != nil {
		slog.Warn("could not make the database readable by its owner only", "err", err)
	}
	// synchronous=FULL: a commit is on disk before the caller is answered,
	// so an acknowledged check-in survives a power cut, not only a crash.
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_busy_timeout", "5000")
	params.Set("_foreign_keys", "1")
	params.Set("_synchronous", "FULL")
	params.Set("_txlock", "immediate")
	uri := fileURI(path, isWindows)
	w, err := openGorm(uri + "?" + params.Encode())
	if err != nil {
		return nil, err
	}
	sqlW, _ := w.DB()
	sqlW.SetMaxOpenConns(1)
	sqlW.SetMaxIdleConns(1)
	sqlW.SetConnMaxLifetime(0)
	if err := sqlW.Ping(); err != nil {
		sqlW.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}

	params.Set("_query_only", "1")
	params.Del("_txlock")
	r, err := openGorm(uri + "?" + params.Encode())
	if err != nil {
		sqlW.Close()
		return nil, err
	}
	sqlR, _ := r.DB()
	n := max(4, runtime.NumCPU()*2)
	sqlR.SetMaxOpenConns(n)
	sqlR.SetMaxIdleConns(n)
	return &DB{Path: path, Write: w, Read: r}, nil
}

func openGorm(dsn string) (*gorm.DB, error) {
	g, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return g, nil
}

// Close closes both pools.
func (d *DB) Close() error {
	pools := []*gorm.DB{d.Read, d.Write}
	if d.Read == d.Write {
		pools = pools[1:]
	}
	var first error
	for _, g := range pools {
		if s, err := g.DB(); err == nil {
			if err := s.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// Backup writes a consistent copy of the live database to dest with
// VACUUM INTO, into a new file readable by its owner only, while serving
// goes on.
func (d *DB) Backup(ctx context.Context, dest string) error {
	if d.Dialect() != SQLite {
		return fmt.Errorf("backup of a %s database: use the database's own tools (pg_dump)", d.Dialect())
	}
	// VACUUM INTO fills an empty file: made first, readable by its owner only.
	if err := fsperm.CreateNew(dest); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists: choose a new file name", dest)
	} else if err != nil {
		return err
	}
	if err := d.Write.WithContext(ctx).Exec("VACUUM INTO ?", dest).Error; err != nil {
		os.Remove(dest)
		return err
	}
	return nil
}
