//go:build !windows

package fsperm

import (
	"io/fs"
	"os"
)

// Restrict makes path readable and writable by its owner only.
// A folder keeps its owner's search permission (0700), a file gets 0600.
func Restrict(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	mode := fs.FileMode(0o600)
	if fi.IsDir() {
		mode = 0o700
	}
	return os.Chmod(path, mode)
}

// Exposed reports whether others than the owner can read the folder or file at path.
// For a folder, search permission counts too: it lets others open a
// file inside by name.
func Exposed(path string) (bool, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return false, err
	}
	open := fs.FileMode(0o044) // read by group or others
	if fi.IsDir() {
		open = 0o055 // list or enter
	}
	return fi.Mode().Perm()&open != 0, nil
}
