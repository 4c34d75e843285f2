package branch_test

import (
	"context"
	"os"
	"testing"
	"testing/fstest"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/db"
	"harbor/config"
)

// TestUpgradeFillsRollups opens a database written by schema v2 holding
// reports: migration 0003 fills the month rollups and the activities from
// them, 0004 the day rollups, on both backends.
func TestUpgradeFillsRollups(t *testing.T) { apptest.ForEachBranchBackend(t, testUpgradeFillsRollups) }

func testUpgradeFillsRollups(t *testing.T, cfg config.Branch) {
	old := fstest.MapFS{}
	for _, name := range []string{"0001_init.sql", "0002_receipt_ids.sql"} {
		body, err := os.ReadFile("migrations/" + cfg.DBDriver + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		old["m/"+name] = &fstest.MapFile{Data: body}
	}
	d, err := db.OpenSQLite(cfg.DBPath)
	if cfg.DBDriver == config.DriverPostgres {
		d, err = db.OpenPostgres(cfg.DBDSN)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(d.Write, old, "m"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO outlets(code, name, created_at) VALUES ('SY001', 'x', 0)`,
		`INSERT INTO reports(outlet, day, revision, final, timezone, content_hash, body, generated_at, received_at,
			checkins, visitors, live, poster, assisted, feedback_open, activities, activity_participants) VALUES
			('SY001', '2026-10-31', 1, TRUE, 'Asia/Shanghai', 'h', '{"activities":[{"theme":"反诈","venue":"community","participants":30}]}', 'g', 5, 10, 8, 10, 0, 0, 2, 1, 30),
			('SY001', '2026-11-01', 1, TRUE, 'Asia/Shanghai', 'h', '{}', 'g', 6, 4, 3, 4, 0, 0, 1, 0, 0),
			('SY001', '2026-11-02', 1, TRUE, 'Asia/Shanghai', 'h', '{"activities":[]}', 'g', 7, 6, 5, 6, 0, 0, 3, 0, 0)`,
		`INSERT INTO report_amenities(outlet, day, amenity, checkins, visitors) VALUES
			('SY001', '2026-11-01', 'water', 4, 3), ('SY001', '2026-11-02', 'water', 6, 5)`,
		`INSERT INTO report_categories(outlet, day, category, checkins) VALUES ('SY001', '2026-11-02', 'courier', 6)`,
	} {
		if err := d.Write.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	d.Close()
	s, err := branch.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var m []struct {
		Month, LastDay            string
		Days, Checkins, Visitors  int
		LastFeedbackOpen, Amenity int
	}
	s.DB().Read.Raw(`SELECT month, last_day, days, checkins, visitors, last_feedback_open,
		(SELECT COALESCE(SUM(a.checkins), 0) FROM day_amenities a WHERE substr(a.day, 1, 7) = o.month) AS amenity
		FROM month_outlets o ORDER BY month`).Scan(&m)
	if len(m) != 2 || m[1].Month != "2026-11" || m[1].Days != 2 || m[1].Checkins != 10 || m[1].Visitors != 8 ||
		m[1].LastDay != "2026-11-02" || m[1].LastFeedbackOpen != 3 || m[1].Amenity != 10 || m[0].Checkins != 10 {
		t.Fatalf("month rollups after the upgrade: %+v", m)
	}
	var acts []struct {
		Theme, Venue string
		Participants int
	}
	s.DB().Read.Raw(`SELECT theme, venue, participants FROM report_activities`).Scan(&acts)
	if len(acts) != 1 || acts[0].Theme != "反诈" || acts[0].Venue != "community" || acts[0].Participants != 30 {
		t.Fatalf("activities after the upgrade: %+v", acts)
	}
}
