package db_test

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"harbor/app/apptest"
	"harbor/app/db"
)

// eachBackend runs fn on a fresh SQLite file and a fresh PostgreSQL schema.
func eachBackend(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		d, err := db.OpenSQLite(filepath.Join(t.TempDir(), "test.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		fn(t, d)
	})
	t.Run("postgres", func(t *testing.T) {
		d, err := db.OpenPostgres(apptest.PostgresDSN(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		fn(t, d)
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
	eachBackend(t, func(t *testing.T, d *db.DB) {
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

// TestMigrateConcurrently starts several servers on one database at once:
// each migration must run exactly once.
func TestMigrateConcurrently(t *testing.T) {
	eachBackend(t, func(t *testing.T, d *db.DB) {
		fsys := migrations("0001_a.sql", "CREATE TABLE a (x INTEGER)",
			"0002_b.sql", "INSERT INTO a VALUES (2)", "0003_c.sql", "INSERT INTO a VALUES (3)")
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				if err := db.Migrate(d.Write, fsys, "m"); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		var rows, applied int64
		d.Read.Raw(`SELECT COUNT(*) FROM a`).Scan(&rows)
		d.Read.Raw(`SELECT COUNT(*) FROM schema_migrations`).Scan(&applied)
		if rows != 2 || applied != 3 {
			t.Fatalf("%d rows in a, %d migrations recorded; want 2 and 3", rows, applied)
		}
	})
}
