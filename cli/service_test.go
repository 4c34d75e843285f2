package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServiceRun: 'harbor service run', what the Windows service manager
// starts, runs the role with the service's settings file and data folder,
// writes its output to the rotating log file, and drains and returns 0
// when stopped (on Windows a stop request, here the cancelled context that
// SIGTERM or Ctrl+C give).
func TestServiceRun(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "outlet.env")
	os.WriteFile(conf, []byte("HARBOR_ADDR=127.0.0.1:0\nHARBOR_OUTLET_CODE=SY001\nHARBOR_BASE_URL=http://10.20.1.5:8080\n"), 0o640)
	data := filepath.Join(dir, "outlet")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, []string{"service", "run", "--role", "outlet", "--config", conf, "--data-dir", data},
			Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: func(string) string { return "" }})
	}()
	logFile := filepath.Join(data, "logs", "harbor-outlet.log")
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == ""; time.Sleep(20 * time.Millisecond) {
		b, _ := os.ReadFile(logFile)
		if _, after, ok := strings.Cut(string(b), " listening on "); ok && strings.Contains(after, "\n") {
			addr, _, _ = strings.Cut(after, "\n")
		}
		if time.Now().After(deadline) {
			t.Fatalf("the log never said where the outlet listens:\n%s", b)
		}
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health struct{ Outlet string }
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if health.Outlet != "SY001" {
		t.Errorf("outlet %q, want the settings file's SY001", health.Outlet)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after the stop", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the service did not stop within 30 s")
	}
	b, _ := os.ReadFile(logFile)
	if !strings.Contains(string(b), `"msg":"outlet serving"`) || !strings.Contains(string(b), "data folder:                 "+data) {
		t.Errorf("log file:\n%s", b)
	}
}

func TestServiceUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"service"}, 2, "harbor service install"},
		{[]string{"service", "--help"}, 0, "harbor service install"},
		{[]string{"service", "restart"}, 2, `unknown command "restart"`},
		{[]string{"service", "status", "--role", "gateway"}, 1, `--role "gateway": use outlet or branch`},
		{[]string{"service", "status", "--data-dir", "data"}, 1, `--data-dir "data": give a full path`},
		{[]string{"service", "stop", "extra"}, 2, `unexpected argument "extra"`},
	} {
		code, _, errOut := harbor(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.err) {
			t.Errorf("%q: exit %d, %q; want %d and %q", c.args, code, errOut, c.code, c.err)
		}
	}
}
