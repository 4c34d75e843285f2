package outlet

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"harbor/app/db"
	"harbor/config"
)

func testConfig(t *testing.T) config.Outlet {
	cfg := config.OutletDefaults()
	cfg.DataDir, cfg.BaseURL = t.TempDir(), "http://harbor.test"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestUpgradeFromSchemaV1 builds a database as the first release left it,
// with visits in it, then opens it with this binary: every migration runs,
// nothing is lost, and the old days are queued for reporting.
func TestUpgradeFromSchemaV1(t *testing.T) {
	cfg := testConfig(t)
	v1 := fstest.MapFS{}
	body, err := fs.ReadFile(migrations, "migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	v1["migrations/0001_init.sql"] = &fstest.MapFile{Data: body}
	d, err := db.OpenSQLite(filepath.Join(cfg.DataDir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(d.Write, v1, "migrations"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO settings(key, value) VALUES ('secret', '` + strings.Repeat("ab", 32) + `'),
			('outlet_code', 'SY001'), ('outlet_name', 'old'), ('poster_version', '3'), ('display_key', 'k')`,
		`INSERT INTO amenities(code, zh, en, grp, icon, enabled, position) VALUES ('water', '饮用水', 'Water', 'drink', 'water', 1, 0)`,
		`INSERT INTO checkins(id, at, day, hour, channel, category, visitor, people) VALUES
			(1, 1764036000000, '2026-11-25', 10, 'poster', 'courier', 'v1', 1),
			(2, 1764036060000, '2026-11-25', 10, 'live', '', 'v2', 1)`,
		`INSERT INTO checkin_amenities(checkin_id, amenity, day, at, visitor, people) VALUES
			(1, 'water', '2026-11-25', 1764036000000, 'v1', 1), (2, 'water', '2026-11-25', 1764036060000, 'v2', 1)`,
		`INSERT INTO report_revisions(day, revision, hash, final, body, created_at) VALUES
			('2026-11-24', 1, 'h1', 1, '{"timezone":"Asia/Shanghai"}', 1764000000000),
			('2026-11-25', 1, 'h2', 0, '{"timezone":"Asia/Urumqi"}', 1764036100000)`,
	} {
		if err := d.Write.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	d.Close()

	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s, err := Open(context.Background(), cfg, func() time.Time { return now })
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer s.Close()
	v, _ := db.SchemaVersion(s.db.Read)
	migs, _ := db.Migrations(migrations, "migrations")
	if want := migs[len(migs)-1].Version; v != want {
		t.Fatalf("schema version %d after upgrade, want %d", v, want)
	}
	// It served in the time zone its reports carry (migration 0008).
	if tz := s.Config().TimeZone; tz != "Asia/Urumqi" {
		t.Fatalf("time zone after upgrade %q, want the reports' Asia/Urumqi", tz)
	}
	if p := s.Profile(); p.Code != "SY001" || p.PosterVersion != 3 {
		t.Fatalf("profile after upgrade: %+v", p)
	}
	r, err := s.BuildReport(context.Background(), "2026-11-25")
	if err != nil || r.Totals.CheckIns != 2 || r.Totals.Visitors != 2 || r.Channels.Live != 1 {
		t.Fatalf("old visits after upgrade: %+v, %v", r.Totals, err)
	}
	dirty, _ := s.dirtyDays(s.db.Read)
	if len(dirty) != 1 || dirty[0].Day != "2026-11-25" {
		t.Fatalf("old days should be queued for reporting: %+v", dirty)
	}
}

// TestNewerSchemaIsRefused: a database written by a newer harbor is not
// touched by an older binary.
func TestNewerSchemaIsRefused(t *testing.T) {
	cfg := testConfig(t)
	s, err := Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Write.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, '0999_future.sql', 'x')`)
	s.Close()
	_, err = Open(context.Background(), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "newer harbor") {
		t.Fatalf("want a clear refusal, got %v", err)
	}
}
