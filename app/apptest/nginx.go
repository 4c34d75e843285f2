package apptest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nginxPath finds Debian's nginx, or "".
func nginxPath() string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return ""
}

// Nginx runs a real nginx on addr (a loopback address) with the location
// blocks given, each proxying to a server under test, and stops it when
// the test ends. Without nginx the test is skipped, except in CI (CI set),
// where it fails.
func Nginx(tb testing.TB, addr, locations string) {
	tb.Helper()
	bin := nginxPath()
	if bin == "" {
		if os.Getenv("CI") != "" {
			tb.Fatal("nginx is required in CI but was not found (apt-get install nginx)")
		}
		tb.Skip("no nginx installed: skipping the reverse-proxy test (apt-get install nginx)")
	}
	dir := tb.TempDir()
	temps := ""
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		temps += fmt.Sprintf("  %s_temp_path %s;\n", t, filepath.Join(dir, t))
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // its workers read the temporary folder of the test
	}
	conf := fmt.Sprintf(`%s
worker_processes 1;
pid %s;
error_log %s warn;
events { worker_connections 128; }
http {
  access_log off;
%s  server {
    listen %s;
%s
  }
}
`, user, filepath.Join(dir, "nginx.pid"), filepath.Join(dir, "error.log"), temps, addr, locations)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	cmd := exec.Command(bin, "-p", dir, "-c", path, "-g", "daemon off;")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGQUIT)
		cmd.Wait()
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			tb.Fatalf("nginx never listened on %s: %s %s", addr, out.String(), strings.TrimSpace(string(log)))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
