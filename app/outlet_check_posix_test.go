//go:build !windows

package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"harbor/app/apptest"
)

// TestCheckReadOnlyDataFolder: 'harbor outlet check' on a data folder that
// its account cannot write in says so, and what to do, and exits 1. Root is
// not stopped by permissions, so as root the check runs as user nobody.
func TestCheckReadOnlyDataFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	// User nobody must reach the binary and the folder: t.TempDir's parents
	// may be private (CI's run folder is).
	base := t.TempDir()
	if os.Geteuid() == 0 {
		var err error
		if base, err = os.MkdirTemp("/tmp", "harbor-readonly-"); err != nil {
			t.Fatal(err)
		}
		os.Chmod(base, 0o755)
		t.Cleanup(func() { os.RemoveAll(base) })
	}
	cfg := apptest.OutletConfig(t)
	cfg.DataDir = filepath.Join(base, "data")
	apptest.NewOutletAt(t, cfg, apptest.RealClock()).Close() // creates the database
	exe := filepath.Join(base, "harbor")
	b, err := os.ReadFile(apptest.HarborBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cfg.DataDir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(cfg.DataDir, 0o755) })

	cmd := exec.Command(exe, "outlet", "check", "--data-dir", cfg.DataDir, "--log-format", "text")
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, want status 1\n%s", err, out)
	}
	for _, want := range []string{"✗ 未通过 FAIL  数据目录 Data folder: 不可写 cannot write in " + cfg.DataDir,
		"→ 让运行 harbor 的账户有写权限", "✗ 未通过 FAIL  数据库 Database"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
