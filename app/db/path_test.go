package db

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestFileURI(t *testing.T) {
	for _, c := range []struct {
		path    string
		windows bool
		want    string
	}{
		{"/var/lib/harbor/outlet/outlet.db", false, "file:/var/lib/harbor/outlet/outlet.db"},
		{"./data/outlet.db", false, "file:./data/outlet.db"},
		{"/srv/a#b?c%d/outlet.db", false, "file:/srv/a%23b%3fc%25d/outlet.db"},
		{`C:\ProgramData\harbor\outlet\outlet.db`, true, "file:/C:/ProgramData/harbor/outlet/outlet.db"},
		{`D:\港湾 数据\outlet.db`, true, "file:/D:/港湾 数据/outlet.db"},
		{`data\outlet.db`, true, "file:data/outlet.db"},
		{`\\nas\harbor\outlet.db`, true, "file:////nas/harbor/outlet.db"},
	} {
		if got := fileURI(c.path, c.windows); got != c.want {
			t.Errorf("fileURI(%q, %v) = %q, want %q", c.path, c.windows, got, c.want)
		}
	}
}

// TestOddFolderNames: a data folder whose name holds URI characters and
// spaces opens, in WAL mode, exactly the file named, and backs up.
func TestOddFolderNames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "港湾 a#b?c%d")
	path := filepath.Join(dir, "outlet.db")
	d, err := OpenSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Write.Exec(`CREATE TABLE t (x INTEGER)`).Error; err != nil {
		t.Fatal(err)
	}
	if err := d.Write.Exec(`INSERT INTO t VALUES (42)`).Error; err != nil {
		t.Fatal(err)
	}
	var mode string
	d.Read.Raw(`PRAGMA journal_mode`).Scan(&mode)
	var x int
	d.Read.Raw(`SELECT x FROM t`).Scan(&x)
	if mode != "wal" || x != 42 {
		t.Fatalf("journal mode %q, read %d", mode, x)
	}
	for _, name := range []string{"outlet.db", "outlet.db-wal"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	backup := filepath.Join(dir, "backup #1.db")
	if err := d.Backup(context.Background(), backup); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(backup); err != nil || st.Size() == 0 {
		t.Fatalf("backup: %v", err)
	}
}
