// Package logfile is a log file that rotates by size: the Windows service
// writes its log here, as journald keeps it under systemd.
package logfile

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// File appends to one file; when a write would take it past MaxSize, the
// file becomes path.1 (path.1 becomes path.2, and so on, the oldest beyond
// Keep is removed) and a new one starts. Each Write lands whole in one file,
// so a log line is never split. Safe for concurrent use.
type File struct {
	path    string
	maxSize int64
	keep    int

	mu     sync.Mutex
	f      *os.File // nil after a failed reopen
	size   int64
	closed bool
}

// Open opens (creating, with its folder) the log file at path, keeping at
// most keep rotated files of up to maxSize bytes each.
func Open(path string, maxSize int64, keep int) (*File, error) {
	if maxSize <= 0 || keep < 1 {
		return nil, fmt.Errorf("logfile: maxSize %d and keep %d must be positive", maxSize, keep)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	l := &File{path: path, maxSize: maxSize, keep: keep}
	if err := l.open(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *File) open() error {
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.size = f, st.Size()
	return nil
}

// Write appends p, rotating first when p would not fit.
func (l *File) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, os.ErrClosed
	}
	if l.f != nil && l.size > 0 && l.size+int64(len(p)) > l.maxSize {
		l.rotate()
	}
	if l.f == nil { // reopening after a rotation failed
		if err := l.open(); err != nil {
			return 0, err
		}
	}
	n, err := l.f.Write(p)
	l.size += int64(n)
	return n, err
}

// rotate shifts the files by one and starts a new one. The file is closed
// first, as Windows cannot rename an open file. When a rename fails all
// the same (another program holds the file open), writing goes on in the
// same file and the next write that does not fit tries again: no log line
// is dropped for rotation's sake.
func (l *File) rotate() {
	l.f.Close()
	l.f = nil
	os.Remove(l.rotated(l.keep))
	for i := l.keep - 1; i >= 1; i-- {
		os.Rename(l.rotated(i), l.rotated(i+1))
	}
	os.Rename(l.path, l.rotated(1))
	l.open() // on failure, Write tries again and reports the error
}

func (l *File) rotated(i int) string { return fmt.Sprintf("%s.%d", l.path, i) }

// Close closes the file; later writes fail.
func (l *File) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.f == nil {
		l.closed = true
		return nil
	}
	l.closed = true
	return l.f.Close()
}
