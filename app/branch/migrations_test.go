package branch

import (
	"context"
	"io/fs"
	"testing"
	"testing/fstest"

	"harbor/app/db"
	"harbor/config"
)

// TestMigrationsMatchAcrossBackends keeps the two schema histories in step:
// every version exists for both backends, under the same name.
func TestMigrationsMatchAcrossBackends(t *testing.T) {
	lite, err := db.Migrations(migrations, "migrations/"+config.DriverSQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := db.Migrations(migrations, "migrations/"+config.DriverPostgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Fatalf("sqlite has %v, postgres %v", lite, pg)
	}
	for i := range lite {
		// Versions only grow; parallel work may leave a gap until merged.
		if lite[i] != pg[i] || i == 0 && lite[i].Version != 1 || i > 0 && lite[i].Version <= lite[i-1].Version {
			t.Errorf("migration %d: sqlite %v, postgres %v; want the same file, numbered upwards", i+1, lite[i], pg[i])
		}
	}
}

// TestUpgradeKeepsReceiptOrder opens a SQLite database written by the
// first schema: its receipts get ids in the order they were recorded.
func TestUpgradeKeepsReceiptOrder(t *testing.T) {
	cfg := config.BranchDefaults()
	cfg.DataDir = t.TempDir()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	d, err := db.OpenSQLite(cfg.DBPath)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := fs.ReadFile(migrations, "migrations/sqlite/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(d.Write, fstest.MapFS{"m/0001_init.sql": {Data: v1}}, "m"); err != nil {
		t.Fatal(err)
	}
	err = d.Write.Exec(`INSERT INTO outlets(code, name, created_at) VALUES ('SY001', 'x', 0);
		INSERT INTO report_receipts(outlet, day, revision, outcome, received_at) VALUES
		('SY001', '2026-11-24', 2, 'stored', 5), ('SY001', '2026-11-24', 1, 'stale', 5),
		('SY001', '2026-11-24', 3, 'replaced', 5)`).Error
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var revisions []int
	if err := s.db.Read.Raw(`SELECT revision FROM report_receipts ORDER BY received_at, id`).Scan(&revisions).Error; err != nil {
		t.Fatal(err)
	}
	if v, _ := db.SchemaVersion(s.db.Read); len(revisions) != 3 || revisions[0] != 2 || revisions[1] != 1 || revisions[2] != 3 || v < 2 {
		t.Fatalf("after the upgrade to v%d: revisions %v, want [2 1 3]", v, revisions)
	}
}
