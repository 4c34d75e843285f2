package cli

import (
	"runtime"
	"strings"
	"testing"
)

// TestVersion: 'harbor version' prints the stamped version, commit and
// build date with the Go version and target; --help explains it instead.
func TestVersion(t *testing.T) {
	defer func(v, c, d string) { Version, Commit, BuildDate = v, c, d }(Version, Commit, BuildDate)
	Version, Commit, BuildDate = "1.4.0", "3f2a9c1b7d0e", "2026-12-01T08:00:00Z"
	code, out, _ := harbor(t, "version")
	want := "harbor 1.4.0 (commit 3f2a9c1b7d0e, built 2026-12-01T08:00:00Z, " + runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH + ")\n"
	if code != 0 || out != want {
		t.Errorf("version: exit %d, %q; want %q", code, out, want)
	}
	code, out, errOut := harbor(t, "version", "--help")
	if code != 0 || out != "" || !strings.Contains(errOut, "Usage: harbor version") {
		t.Errorf("version --help: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, errOut := harbor(t, "version", "extra"); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Errorf("version extra: exit %d, %q", code, errOut)
	}
}
