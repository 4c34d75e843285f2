package apptest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Tests that need what a machine may lack (PostgreSQL, Chromium, time for
// real processes) skip through Skip or Require, and each package's TestMain
// calls Main, which prints one line saying what was skipped and how to run
// it. Plain 'go test ./...' hides a passing package's output, so Main
// writes that line to the go command's own output (see summaryOutput).

var skipped struct {
	sync.Mutex
	count map[skipReason]int
	order []skipReason
}

type skipReason struct{ what, how string }

// Skip skips the test and counts it for the package's summary. what names
// the kind of test in the plural ("PostgreSQL variants"); how says what
// runs it ("set HARBOR_TEST_POSTGRES=...").
func Skip(tb testing.TB, what, how string) {
	tb.Helper()
	r := skipReason{what, how}
	skipped.Lock()
	if skipped.count == nil {
		skipped.count = map[skipReason]int{}
	}
	if skipped.count[r] == 0 {
		skipped.order = append(skipped.order, r)
	}
	skipped.count[r]++
	skipped.Unlock()
	tb.Skipf("skipped (%s): %s", what, how)
}

// Require is Skip for tests CI must run: with the environment variable CI
// set, the test fails instead.
func Require(tb testing.TB, what, how string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("CI is set, so %s must run: %s", what, how)
	}
	Skip(tb, what, how)
}

// Main runs the package's tests; call it from TestMain. Then it deletes the
// binary HarborBinary built and, if any test was skipped, prints one line:
// the package, and per reason how many were skipped and how to run them.
func Main(m *testing.M) {
	code := m.Run()
	removeBinary()
	if line := skipSummary(callerPackage()); line != "" {
		w, closeFn := summaryOutput()
		fmt.Fprintln(w, line)
		closeFn()
	}
	os.Exit(code)
}

// skipSummary is the summary line of pkg's skipped tests, or "".
func skipSummary(pkg string) string {
	skipped.Lock()
	defer skipped.Unlock()
	var parts []string
	total := 0
	for _, r := range skipped.order {
		n := skipped.count[r]
		total += n
		parts = append(parts, fmt.Sprintf("%s ×%d (%s)", r.what, n, r.how))
	}
	if total == 0 {
		return ""
	}
	return fmt.Sprintf("%s: %d skipped: %s", pkg, total, strings.Join(parts, "; "))
}

// callerPackage names the package whose TestMain called Main, e.g.
// harbor/app, from the caller's file and this module's root.
func callerPackage() string {
	_, self, _, _ := runtime.Caller(0)
	_, caller, _, ok := runtime.Caller(2)
	root := filepath.Join(filepath.Dir(self), "..", "..")
	rel, err := filepath.Rel(root, filepath.Dir(caller))
	if !ok || err != nil || rel == "." {
		return "harbor"
	}
	return "harbor/" + filepath.ToSlash(rel)
}

// summaryOutput is where the summary line goes. With -v, or when the test
// binary was not started by the go command, that is standard output. Under
// plain 'go test', which keeps a passing package's output to itself, it is
// the go command's standard output (Linux: /proc/PID/fd/1) when that is a
// terminal or a pipe, else its standard error if that is one. Regular
// files are left alone: the line would overwrite go's output. A result go replays from its
// test cache ("(cached)") does not repeat the line.
func summaryOutput() (io.Writer, func()) {
	nothing := func() {}
	if testing.Verbose() {
		return os.Stdout, nothing
	}
	proc := "/proc/" + strconv.Itoa(os.Getppid())
	if exe, err := os.Readlink(proc + "/exe"); err != nil || filepath.Base(exe) != "go" {
		return os.Stdout, nothing
	}
	for _, fd := range []string{"/fd/1", "/fd/2"} {
		st, err := os.Stat(proc + fd)
		if err != nil || st.Mode()&(os.ModeNamedPipe|os.ModeCharDevice) == 0 {
			continue
		}
		if f, err := os.OpenFile(proc+fd, os.O_WRONLY|os.O_APPEND, 0); err == nil {
			return f, func() { f.Close() }
		}
	}
	return os.Stdout, nothing
}
