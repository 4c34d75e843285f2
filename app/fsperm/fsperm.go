// Package fsperm keeps the files that hold harbor's secrets — the SQLite
// databases with their -wal and -shm files (the QR secret, the display key,
// password hashes), backups of them and the outlet's key file branch.json —
// readable and writable by their owner only, and tells when a folder is
// open to others. Restrict and Exposed are per platform: POSIX modes in
// fsperm_unix.go, access control lists on Windows (fsperm_windows.go); the
// rest is portable.
package fsperm

import (
	"errors"
	"io/fs"
	"os"
)

// WriteFile writes data to path, which only its owner may read or write,
// whatever a file already there allowed.
func WriteFile(path string, data []byte) error {
	f, err := openOwnerOnly(path, os.O_TRUNC)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// CreateNew creates path as an empty file only its owner may read or
// write; it fails if path exists (fs.ErrExist).
func CreateNew(path string) error {
	f, err := openOwnerOnly(path, os.O_EXCL)
	if err != nil {
		return err
	}
	return f.Close()
}

// openOwnerOnly opens path for writing with flag, creating it 0600, and
// restricts it (a file that was there keeps its mode on open).
func openOwnerOnly(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|flag, 0o600)
	if err != nil {
		return nil, err
	}
	if err := Restrict(path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// RestrictExisting restricts each of paths that exists; those that do not
// (a database's -wal before its first write) are skipped.
func RestrictExisting(paths ...string) error {
	var errs []error
	for _, p := range paths {
		if err := Restrict(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
