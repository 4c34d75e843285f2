package app_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/cli"
)

// ownerOnly requires each of paths to be readable and writable by its
// owner only; a database's -wal and -shm may be missing.
func ownerOnly(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		fi, err := os.Stat(p)
		if os.IsNotExist(err) && (strings.HasSuffix(p, "-wal") || strings.HasSuffix(p, "-shm")) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %o, want 600: it holds secrets", filepath.Base(p), fi.Mode().Perm())
		}
	}
}

// command runs a harbor command in this process and requires success.
func command(t *testing.T, args ...string) {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), args, cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}); code != 0 {
		t.Fatalf("harbor %s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
}

// TestSecretsReadableByOwnerOnly (issue 10, item 11): the databases with
// their -wal and -shm files, backups and the key file are written 0600,
// also where an older version left them open; a data folder others can
// read is warned about at start-up, in the log and on the screen.
func TestSecretsReadableByOwnerOnly(t *testing.T) {
	n := newNetwork(t)
	o := n.addOutlet("SY001", n.url)
	checkIn(t, o, "10.0.0.1", []string{"water"}, "")
	dir := o.Cfg.DataDir
	db := filepath.Join(dir, "outlet.db")
	ownerOnly(t, db, db+"-wal", db+"-shm", filepath.Join(dir, "branch.json"))

	backup := filepath.Join(t.TempDir(), "outlet-backup.db")
	command(t, "outlet", "backup", backup, "--data-dir", dir)
	ownerOnly(t, backup, backup+".branch.json")
	branchBackup := filepath.Join(t.TempDir(), "branch-backup.db")
	command(t, "branch", "backup", branchBackup, "--data-dir", n.branch.Cfg.DataDir)
	bdb := filepath.Join(n.branch.Cfg.DataDir, "branch.db")
	ownerOnly(t, bdb, bdb+"-wal", bdb+"-shm", branchBackup)

	// As an older version left them: open to others. Opening closes them.
	o.Close()
	for _, p := range []string{db, db + "-wal", db + "-shm"} {
		os.Chmod(p, 0o644)
	}
	apptest.NewOutlet(t, o.Cfg).Close()
	ownerOnly(t, db, db+"-wal", db+"-shm")

	if testing.Short() {
		return // the start-up warning needs the real process
	}
	for mode, warned := range map[fs.FileMode]bool{0o755: true, 0o750: true, 0o700: false} {
		os.Chmod(dir, mode)
		p := apptest.StartHarbor(t, "outlet", "--data-dir", dir, "--addr", "127.0.0.1:0", "--log-format", "json")
		p.Stop() // then all it logged has been read
		if strings.Contains(p.Banner, "WARNING: the data folder") != warned || strings.Contains(p.Stderr(), `"level":"WARN","msg":"the data folder`) != warned {
			t.Fatalf("data folder mode %o: warned %v, want %v\nscreen:\n%s\nlog:\n%s", mode, !warned, warned, p.Banner, p.Stderr())
		}
	}
}
