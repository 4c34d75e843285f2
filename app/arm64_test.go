package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"harbor/app/apptest"
)

// TestLinuxARM64Release builds the linux/arm64 release archive as
// scripts/release does and runs its binary under qemu-user-static (Debian's
// qemu-user-static): the outlet starts on loopback, answers /healthz, takes
// one check-in through the API, stops on SIGTERM, and 'harbor outlet
// report' (under qemu too) reads the check-in back.
func TestLinuxARM64Release(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles a release and runs it under qemu")
	}
	qemu := apptest.Tool(t, "qemu-aarch64-static", "qemu-user-static")
	dir := apptest.ReleaseLinux(t, "0.0.0-qemu", "arm64", "aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")
	bin := filepath.Join(dir, "harbor")
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a safety net, not a measure
	defer cancel()
	arm := func(args ...string) *exec.Cmd {
		return exec.CommandContext(ctx, qemu, append([]string{bin}, args...)...)
	}

	if out, err := arm("version").Output(); err != nil || !strings.Contains(string(out), "harbor 0.0.0-qemu (") ||
		!strings.Contains(string(out), "linux/arm64)") {
		t.Fatalf("version: %v: %s", err, out)
	}

	server := arm("outlet", "--data-dir", data, "--addr", "127.0.0.1:0", "--log-format", "json")
	out, _ := server.StdoutPipe()
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	defer server.Process.Kill()
	base := "http://" + listenAddr(t, out)
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	station, err := arm("outlet", "qr", "--data-dir", data, "--log-format", "json").Output()
	if err != nil {
		t.Fatalf("qr: %v", err)
	}
	u, err := url.Parse(strings.TrimSpace(string(station)))
	if err != nil || u.Query().Get("t") == "" {
		t.Fatalf("qr printed %q", station)
	}
	body, _ := json.Marshal(map[string]any{"token": u.Query().Get("t"), "amenities": []string{"water"}})
	resp, err = http.Post(base+"/api/v1/checkins", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var checkIn struct{ Day string }
	json.NewDecoder(resp.Body).Decode(&checkIn)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || checkIn.Day == "" {
		t.Fatalf("check-in: %d %+v", resp.StatusCode, checkIn)
	}

	server.Process.Signal(syscall.SIGTERM)
	if err := server.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	doc, err := arm("outlet", "report", "--data-dir", data, "--day", checkIn.Day, "--log-format", "json").Output()
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	var report struct {
		Totals    struct{ CheckIns int }
		Amenities []struct {
			Code     string
			CheckIns int
		}
	}
	if err := json.Unmarshal(doc, &report); err != nil || report.Totals.CheckIns != 1 ||
		len(report.Amenities) != 1 || report.Amenities[0].Code != "water" {
		t.Fatalf("report of %s: %v\n%s", checkIn.Day, err, doc)
	}
}
