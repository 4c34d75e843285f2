package apptest

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// repoRoot is the repository's top folder.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// ReleaseLinux builds the release archive of linux/ARCH with
// scripts/release (as a release is built: the cross compiler, static
// linking, stamped version), unpacks it in a temporary folder, checks its
// SHA256SUMS, and returns the unpacked folder. Without the cross compiler
// named by cc the test is skipped, except in CI.
func ReleaseLinux(tb testing.TB, version, arch, cc, ccPackage string) string {
	tb.Helper()
	Tool(tb, cc, ccPackage)
	dist := tb.TempDir()
	cmd := exec.Command(filepath.Join(repoRoot(), "scripts", "release"), version)
	cmd.Dir = repoRoot()
	cmd.Env = append(os.Environ(), "TARGETS=linux/"+arch, "DIST="+dist)
	if out, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("scripts/release: %v\n%s", err, out)
	}
	name := "harbor_" + version + "_linux_" + arch
	dir := tb.TempDir()
	if err := untar(filepath.Join(dist, version, name+".tar.gz"), dir); err != nil {
		tb.Fatal(err)
	}
	dir = filepath.Join(dir, name)
	sums, err := os.Open(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		tb.Fatal(err)
	}
	defer sums.Close()
	files := 0
	for sc := bufio.NewScanner(sums); sc.Scan(); files++ {
		want, file, _ := strings.Cut(sc.Text(), "  ")
		b, err := os.ReadFile(filepath.Join(dir, file))
		sum := sha256.Sum256(b)
		if err != nil || hex.EncodeToString(sum[:]) != want {
			tb.Fatalf("%s: checksum does not match SHA256SUMS (%v)", file, err)
		}
	}
	for _, want := range []string{"harbor", "README.md", "docs/DEPLOY.md", "deploy/outlet.env", "deploy/harbor-outlet.service"} {
		if _, err := os.Stat(filepath.Join(dir, want)); err != nil {
			tb.Errorf("the archive lacks %s", want)
		}
	}
	inFolder := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, _ error) error {
		if !d.IsDir() && d.Name() != "SHA256SUMS" {
			inFolder++
		}
		return nil
	})
	if files != inFolder {
		tb.Errorf("SHA256SUMS lists %d files of the %d in the archive", files, inFolder)
	}
	return dir
}

// untar unpacks a .tar.gz into dir.
func untar(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		path := filepath.Join(dir, filepath.FromSlash(h.Name))
		if h.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(path, 0o755); err != nil {
				return err
			}
			continue
		}
		out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode))
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
}
