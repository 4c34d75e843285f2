package logfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRotation: lines go to the current file until the next would pass the
// size limit; then the files shift by one, the oldest beyond keep goes, and
// no line is lost or split among those kept.
func TestRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "logs", "harbor-outlet.log")
	l, err := Open(path, 100, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		fmt.Fprintf(l, "line %02d of the log....\n", i) // 24 bytes: four a file
	}
	l.Close()
	if _, err := fmt.Fprintln(l, "after close"); err == nil {
		t.Error("a write after Close succeeded")
	}
	want := map[string]string{path + ".2": "08-11", path + ".1": "12-15", path: "16-19"}
	for name, lines := range want {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var first, last int
		fmt.Sscanf(lines, "%d-%d", &first, &last)
		var expect strings.Builder
		for i := first; i <= last; i++ {
			fmt.Fprintf(&expect, "line %02d of the log....\n", i)
		}
		if string(b) != expect.String() {
			t.Errorf("%s:\n%s\nwant\n%s", filepath.Base(name), b, expect.String())
		}
	}
	if _, err := os.Stat(path + ".3"); !os.IsNotExist(err) {
		t.Errorf("a third rotated file exists: keep is 2 (%v)", err)
	}
}

// TestReopenAppends: a restarted service appends to its log and counts
// the size already there.
func TestReopenAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.log")
	os.WriteFile(path, []byte(strings.Repeat("x", 90)+"\n"), 0o640)
	l, err := Open(path, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintln(l, "the first line after a restart")
	l.Close()
	if b, _ := os.ReadFile(path + ".1"); len(b) != 91 {
		t.Errorf("rotated file has %d bytes, want the 91 written before", len(b))
	}
	if b, _ := os.ReadFile(path); string(b) != "the first line after a restart\n" {
		t.Errorf("current file: %q", b)
	}
}
