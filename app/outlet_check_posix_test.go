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
	cfg := apptest.OutletConfig(t)
	apptest.NewOutletAt(t, cfg, apptest.RealClock()).Close() // creates the database
	exe := filepath.Join(t.TempDir(), "harbor")
	b, err := os.ReadFile(apptest.HarborBinary(t))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(exe, b, 0o755)
	for _, dir := range []string{filepath.Dir(exe), filepath.Dir(filepath.Dir(exe)), filepath.Dir(cfg.DataDir)} {
		os.Chmod(dir, 0o755) // t.TempDir's folders are the test's only
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
