package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// TestBranchBulletinCommand writes October's published bulletin as JSON
// and as a workbook from the command line, prints a draft quarter, and
// refuses bad input.
func TestBranchBulletinCommand(t *testing.T) {
	apptest.ForEachBranchBackend(t, testBranchBulletinCommand)
}

func testBranchBulletinCommand(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg) // 2026-11-25
	for i, code := range []string{"SY001", "SY002"} {
		o := b.EnrollOutlet(code)
		for d := "2026-10-01"; d <= "2026-10-31"; d = models.AddDays(d, 1) {
			b.MustPush(o, apptest.SampleReport(code, d, 1, i+1))
		}
	}
	october, _ := branch.MonthPeriod("2026-10")
	page := func(branch.Bulletin) (string, error) { return "<article></article>", nil }
	if _, err := b.Svc.PublishBulletin(context.Background(), october, "李科长", page); err != nil {
		t.Fatal(err)
	}
	rec, err := b.Svc.BulletinRecord(context.Background(), october)
	if err != nil {
		t.Fatal(err)
	}
	b.Close()

	dir := t.TempDir()
	out := filepath.Join(dir, "2026-10.json")
	rc, stdout, errOut := harbor(t, append([]string{"branch", "bulletin", "--month", "2026-10", "--out", out}, dbArgs(cfg)...)...)
	if rc != 0 || !strings.Contains(stdout, "2026-10 (published") || !strings.Contains(stdout, "2 outlets scored") {
		t.Fatalf("bulletin --out json: %d %s %s", rc, stdout, errOut)
	}
	body, _ := os.ReadFile(out)
	var doc struct {
		Status   string
		Bulletin json.RawMessage
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Status != "published" || !bytes.Equal(doc.Bulletin, rec.Snapshot) {
		t.Fatalf("the JSON file: %v, status %q, bulletin as published: %v", err, doc.Status, bytes.Equal(doc.Bulletin, rec.Snapshot))
	}

	xlsx := filepath.Join(dir, "2026-10.xlsx")
	if rc, _, errOut := harbor(t, append([]string{"branch", "bulletin", "--month", "2026-10", "--out", xlsx}, dbArgs(cfg)...)...); rc != 0 {
		t.Fatalf("bulletin --out xlsx: %d %s", rc, errOut)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("排名 Ranking")
	if len(rows) < 2 || !strings.Contains(rows[0][4], "已发布 published") || !strings.Contains(strings.Join(f.GetSheetList(), " "), "得分明细 Points") {
		t.Fatalf("the workbook: %v %v", f.GetSheetList(), rows)
	}

	rc, stdout, errOut = harbor(t, append([]string{"branch", "bulletin", "--quarter", "2026Q4"}, dbArgs(cfg)...)...)
	if rc != 0 || !strings.HasPrefix(stdout, `{"status":"draft"`) || !strings.Contains(stdout, `"label":"2026Q4"`) {
		t.Fatalf("a draft quarter to standard output: %d %.200s %s", rc, stdout, errOut)
	}
	for _, bad := range []struct {
		args []string
		rc   int
		says string
	}{
		{[]string{"--month", "2026-10", "--out", xlsx}, 1, "exists"},
		{[]string{"--month", "2099-05"}, 1, "尚无完整的一天"},
		{[]string{"--month", "2026-13"}, 1, "应形如 2026-11"},
		{[]string{"--out", filepath.Join(dir, "x.xlsx")}, 2, "give --month or --quarter"},
		{[]string{"--month", "2026-10", "--out", filepath.Join(dir, "x.csv")}, 2, "FILE.xlsx or FILE.json"},
	} {
		rc, _, errOut := harbor(t, append(append([]string{"branch", "bulletin"}, bad.args...), dbArgs(cfg)...)...)
		if rc != bad.rc || !strings.Contains(errOut, bad.says) {
			t.Errorf("bulletin %v: %d %s; want %d saying %q", bad.args, rc, errOut, bad.rc, bad.says)
		}
	}
}
