package db

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// OpenPostgres connects to the PostgreSQL database named by dsn, a
// postgres:// URL. Write and Read are one pool: PostgreSQL takes concurrent
// writers, and its readers never wait for them.
func OpenPostgres(dsn string) (*DB, error) {
	g, err := gorm.Open(postgres.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		DisableAutomaticPing:   true,
		TranslateError:         true, // unique violations become gorm.ErrDuplicatedKey
	})
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	// A few connections per core keep the CPUs busy while others wait on
	// the network, well below PostgreSQL's default of 100 connections.
	n := max(8, runtime.NumCPU()*4)
	sqlDB.SetMaxOpenConns(n)
	sqlDB.SetMaxIdleConns(n) // idle connections keep their prepared statements warm
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	sqlDB.SetConnMaxLifetime(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &DB{Write: g, Read: g}, nil
}

// ReadTx runs fn in a read-only transaction that sees one snapshot of the
// database. On PostgreSQL that takes REPEATABLE READ: its default isolation
// takes a new snapshot for every statement. A SQLite read transaction on
// the read pool is a snapshot already.
func (d *DB) ReadTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if d.Dialect() == Postgres {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	return d.Read.WithContext(ctx).Transaction(fn, opts...)
}
