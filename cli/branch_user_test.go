package cli_test

import (
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/config"
)

// TestBranchUserCommands manages console accounts from the command line,
// on both backends.
func TestBranchUserCommands(t *testing.T) { apptest.ForEachBranchBackend(t, testBranchUserCommands) }

func testBranchUserCommands(t *testing.T, cfg config.Branch) {
	db := []string{"--data-dir", cfg.DataDir, "--log-format", "text"}
	if cfg.DBDriver == config.DriverPostgres {
		db = []string{"--db", cfg.DB, "--log-format", "text"}
	}
	run := func(stdin string, args ...string) (int, string, string) {
		return harbor(t, stdin, append(append([]string{"branch", "user"}, args...), db...)...)
	}
	if code, out, errOut := run("admin-pass-1\n", "add", "李科长", "--role", "admin"); code != 0 ||
		!strings.Contains(out, `created admin account "李科长": log in at /console/login`) {
		t.Fatalf("add: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := run("viewer-pass\n", "add", "analyst"); code != 0 {
		t.Fatalf("add a viewer (the default role): %s", errOut)
	}
	if code, _, errOut := run("admin-pass-1\n", "add", "ANALYST"); code != 1 || !strings.Contains(errOut, "已存在") {
		t.Fatalf("names are unique whatever their case: %d %s", code, errOut)
	}
	if code, _, errOut := run("admin-pass-1\n", "add", "x1", "--role", "manager"); code != 1 || !strings.Contains(errOut, "未知角色") {
		t.Fatalf("an outlet role at the branch: %d %s", code, errOut)
	}
	if code, _, _ := run("", "disable", "analyst"); code != 0 {
		t.Fatal("disable")
	}
	if code, _, errOut := run("new-password-2\n", "passwd", "Analyst"); code != 0 {
		t.Fatalf("passwd by another case of the name: %s", errOut)
	}
	code, out, _ := run("", "list")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		lines = append(lines, strings.Join(strings.Fields(l)[:3], " "))
	}
	if code != 0 || strings.Join(lines, "; ") != "analyst viewer disabled; 李科长 admin active" {
		t.Fatalf("list: %d\n%s", code, out)
	}
}
