package apptest

import (
	"os"
	"os/exec"
	"testing"
)

// Tool returns the path of the command name, which Debian's package pkg
// installs. Without it the test is skipped, except in CI (CI set), where it
// fails: CI must run everything.
func Tool(tb testing.TB, name, pkg string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("%s is required in CI but was not found (apt-get install %s)", name, pkg)
	}
	tb.Skipf("no %s: skipping (apt-get install %s)", name, pkg)
	return ""
}
