package fsperm

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestRestrictAndExposed: files and folders others can read are told
// apart, and restricting closes them; writes never leave a file open.
func TestRestrictAndExposed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX modes")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		mode fs.FileMode
		want bool
	}{{file, 0o644, true}, {file, 0o640, true}, {file, 0o600, false}, {file, 0o602, false},
		{dir, 0o755, true}, {dir, 0o711, true}, {dir, 0o700, false}} {
		os.Chmod(c.path, c.mode)
		if got, err := Exposed(c.path); err != nil || got != c.want {
			t.Errorf("%s with mode %o: exposed %v, %v; want %v", filepath.Base(c.path), c.mode, got, err, c.want)
		}
	}
	os.Chmod(dir, 0o755)
	os.Chmod(file, 0o644)
	if err := RestrictExisting(dir, file, file+"-wal"); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]fs.FileMode{dir: 0o700, file: 0o600} {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != want {
			t.Errorf("%s restricted to %o, want %o", path, fi.Mode().Perm(), want)
		}
	}
	os.Chmod(file, 0o666)
	if err := WriteFile(file, []byte("key")); err != nil {
		t.Fatal(err)
	}
	if err := CreateNew(file); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("CreateNew over a file: %v", err)
	}
	fresh := filepath.Join(dir, "new")
	if err := CreateNew(fresh); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{file, fresh} {
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s written with mode %o", p, fi.Mode().Perm())
		}
	}
}
