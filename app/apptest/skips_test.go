package apptest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// TestSkipSummaryInPlainGoTest runs plain 'go test' (no -v) on a package
// whose PostgreSQL variants skip: its output must say what was skipped and
// how to run it, not only "ok".
func TestSkipSummaryInPlainGoTest(t *testing.T) {
	if testing.Short() {
		apptest.Skip(t, "go test runs", "run without -short")
	}
	_, self, _, _ := runtime.Caller(0)
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestMigrate$", "./app/db")
	cmd.Dir = filepath.Join(filepath.Dir(self), "..", "..")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, apptest.PostgresEnv+"=") && !strings.HasPrefix(kv, "CI=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput() // a pipe, as when go test's output is read
	want := "harbor/app/db: 1 skipped: PostgreSQL variants ×1 (set " + apptest.PostgresEnv + "="
	if err != nil || !strings.Contains(string(out), want) || !strings.Contains(string(out), "ok  \tharbor/app/db") {
		t.Fatalf("go test: %v\n%s\nwant a line starting %q", err, out, want)
	}
}
