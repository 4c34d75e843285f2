package db_test

import (
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"harbor/app/apptest"
	"harbor/app/db"
)

// eachBackend runs fn on a fresh SQLite file and a fresh PostgreSQL schema.
// open opens a connection pool of its own to that database (closed when the
// test ends), as another server process would.
func eachBackend(t *testing.T, fn func(t *testing.T, open func() *db.DB)) {
	run := func(t *testing.T, openDB func() (*db.DB, error)) {
		fn(t, func() *db.DB {
			d, err := openDB()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			return d
		})
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "test.db")
		run(t, func() (*db.DB, error) { return db.OpenSQLite(path) })
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := apptest.PostgresDSN(t)
		run(t, func() (*db.DB, error) { return db.OpenPostgres(dsn) })
	})
}

func migrations(files ...string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < len(files); i += 2 {
		fsys["m/"+files[i]] = &fstest.MapFile{Data: []byte(files[i+1])}
	}
	return fsys
}

func TestMigrate(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func() *db.DB) {
		d := open()
		v1 := migrations("0001_a.sql", "CREATE TABLE a (x INTEGER NOT NULL); CREATE INDEX a_x ON a(x);",
			"README", "not a migration")
		if err := db.Migrate(d.Write, v1, "m"); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(d.Write, v1, "m"); err != nil {
			t.Fatalf("second run: %v", err)
		}
		// A failing migration leaves neither its statements nor its version.
		bad := migrations("0001_a.sql", "", "0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);")
		if err := db.Migrate(d.Write, bad, "m"); err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
			t.Fatalf("failing migration: %v", err)
		}
		if v, err := db.SchemaVersion(d.Read); err != nil || v != 1 {
			t.Fatalf("version after a failed migration: %d %v", v, err)
		}
		v2 := migrations("0001_a.sql", "", "0002_b.sql", "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);")
		if err := db.Migrate(d.Write, v2, "m"); err != nil {
			t.Fatal(err)
		}
		var n int64
		if err := d.Read.Raw(`SELECT COUNT(*) FROM b`).Scan(&n).Error; err != nil || n != 1 {
			t.Fatalf("table b after migration 2: %d %v", n, err)
		}
		if err := db.Migrate(d.Write, v1, "m"); err == nil || !strings.Contains(err.Error(), "newer harbor") {
			t.Fatalf("older binary on a newer schema: %v", err)
		}
	})
}

// TestMigrateConcurrently starts several servers on one database at once,
// each with connections of its own, released together: each migration
// must run exactly once.
func TestMigrateConcurrently(t *testing.T) {
	eachBackend(t, func(t *testing.T, open func() *db.DB) {
		fsys := migrations("0001_a.sql", "CREATE TABLE a (x INTEGER)",
			"0002_b.sql", "INSERT INTO a VALUES (2)", "0003_c.sql", "INSERT INTO a VALUES (3)")
		servers := make([]*db.DB, 4)
		for i := range servers {
			servers[i] = open()
		}
		errs := make([]error, len(servers))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, d := range servers {
			wg.Go(func() {
				<-start
				errs[i] = db.Migrate(d.Write, fsys, "m")
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		var rows, applied int64
		d := servers[0]
		d.Read.Raw(`SELECT COUNT(*) FROM a`).Scan(&rows)
		d.Read.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&applied)
		if rows != 2 || applied != 3 {
			t.Fatalf("%d rows in a, %d migrations recorded; want 2 and 3", rows, applied)
		}
	})
}
