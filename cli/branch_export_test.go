package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"harbor/app/apptest"
	"harbor/config"
	"harbor/models"
)

// TestBranchExportCommand writes October's workbook and CSV from the
// command line and reads them back.
func TestBranchExportCommand(t *testing.T) { apptest.ForEachBranchBackend(t, testBranchExportCommand) }

func testBranchExportCommand(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	for d := "2026-10-01"; d <= "2026-10-31"; d = models.AddDays(d, 1) {
		b.MustPush(o, apptest.SampleReport("SY001", d, 1, 2))
	}
	b.Close()
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "oct.xlsx")
	rc, out, errOut := harbor(t, append([]string{"branch", "export", "--month", "2026-10", "--out", xlsx}, dbArgs(cfg)...)...)
	if rc != 0 || !strings.Contains(out, "620 check-ins") {
		t.Fatalf("export: %d %s %s", rc, out, errOut)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("网点 Outlets")
	header := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "网点代码 Code" })
	if header < 0 || header+1 >= len(rows) || rows[header+1][0] != "SY001" ||
		rows[header+1][slices.Index(rows[header], "服务人次 Check-ins")] != "620" {
		t.Fatalf("outlets sheet: %v", rows)
	}
	if rc, _, errOut := harbor(t, append([]string{"branch", "export", "--month", "2026-10", "--out", xlsx}, dbArgs(cfg)...)...); rc != 1 || !strings.Contains(errOut, "exists") {
		t.Fatalf("an existing file is not overwritten: %d %s", rc, errOut)
	}
	csvFile := filepath.Join(dir, "q4.csv")
	if rc, _, errOut := harbor(t, append([]string{"branch", "export", "--quarter", "2026Q4", "--csv", "--out", csvFile}, dbArgs(cfg)...)...); rc != 0 {
		t.Fatalf("quarter csv: %s", errOut)
	}
	body, _ := os.ReadFile(csvFile)
	if !bytes.HasPrefix(body, []byte("\ufeff报告期 Period,2026Q4,2026-10-01,2026-12-31")) || !bytes.Contains(body, []byte("SY001,1,网点 SY001,test,正常上报 active,620,")) {
		t.Fatalf("csv:\n%s", body)
	}
	if rc, _, _ := harbor(t, append([]string{"branch", "export", "--out", csvFile + "2"}, dbArgs(cfg)...)...); rc != 2 {
		t.Fatal("export without a period should be a usage error")
	}
}

// TestBranchBackupCommand copies a SQLite branch and points a PostgreSQL
// one to pg_dump.
func TestBranchBackupCommand(t *testing.T) { apptest.ForEachBranchBackend(t, testBranchBackupCommand) }

func testBranchBackupCommand(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	b.EnrollOutlet("SY001")
	dest := filepath.Join(t.TempDir(), "copy.db")
	rc, out, errOut := harbor(t, append([]string{"branch", "backup", dest}, dbArgs(cfg)...)...)
	if cfg.DBDriver == config.DriverPostgres {
		if rc != 1 || !strings.Contains(errOut, "pg_dump") || strings.Contains(errOut, "@") && strings.Contains(errOut, ":secret") {
			t.Fatalf("PostgreSQL backup: %d %s", rc, errOut)
		}
		return
	}
	if rc != 0 || !strings.Contains(out, "wrote "+dest) {
		t.Fatalf("backup: %d %s %s", rc, out, errOut)
	}
	copyCfg := config.BranchDefaults()
	copyCfg.DB = "sqlite:" + dest
	copyCfg.DataDir = t.TempDir()
	rc, out, _ = harbor(t, "branch", "outlet", "list", "--db", copyCfg.DB)
	if rc != 0 || !strings.Contains(out, "SY001") {
		t.Fatalf("the copy: %d %s", rc, out)
	}
}
