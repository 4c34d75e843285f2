package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
)

// TestOutletKilledDuringPushes runs the outlet as a real process, kills it
// with SIGKILL while pushes are in flight, restarts it, and checks that the
// branch ends with exactly the outlet's latest revision of every day.
func TestOutletKilledDuringPushes(t *testing.T) {
	if testing.Short() {
		apptest.Skip(t, "real-process tests", "run without -short")
	}
	bin := apptest.HarborBinary(t)
	b := apptest.NewBranchAt(t, apptest.BranchConfig(t), apptest.RealClock())
	branchURL := apptest.ServeHTTP(t, b.HTTP)
	proxy := apptest.NewFaultProxy(t, branchURL, [5]int{1, 0, 3, 0, 0}) // most pushes are slow

	// An enrolled outlet with visits on each of the last six days.
	const days = 6
	cfg := apptest.OutletConfig(t)
	past := apptest.NewClock(time.Now().AddDate(0, 0, -days))
	o := apptest.NewOutletAt(t, cfg, past)
	ec, err := b.Svc.AddOutlet(context.Background(), "SY007", "网点 SY007", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Svc.Enroll(context.Background(), branchURL, ec.Code, http.DefaultClient); err != nil {
		t.Fatal(err)
	}
	for d := 0; d < days; d++ {
		past.Set(time.Now().AddDate(0, 0, d-days))
		checkIn(t, o, "10.0.0.1", []string{"water", "tea"}, "courier")
		checkIn(t, o, "10.0.0.2", []string{"toilet"}, "")
	}
	o.Close()
	pointLinkAt(t, cfg.DataDir, proxy.URL)

	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "outlet", "--data-dir", cfg.DataDir, "--addr", "127.0.0.1:0",
			"--report-interval", "20ms", "--log-format", "json")
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() }) // if the test stops early
		return cmd, listenAddr(t, out)
	}
	kills, midPush := 0, 0
	for i := 0; i < 8; i++ {
		cmd, _ := start()
		// Something is still to deliver (see the break below): a push comes.
		apptest.WaitFor(t, "the restarted outlet's push to reach the proxy", func() bool { return proxy.InFlight.Load() > 0 })
		time.Sleep(time.Duration(rand.IntN(150)) * time.Millisecond) // a random moment of the (mostly slow) push
		if proxy.InFlight.Load() > 0 {
			midPush++
		}
		cmd.Process.Kill()
		cmd.Wait()
		kills++
		if len(branchReports(t, &network{branch: b}, "SY007")) == days {
			break // everything arrived before the next kill could land mid-push
		}
	}
	if midPush == 0 {
		t.Fatalf("none of the %d kills landed while a push was in flight: the test proved nothing", kills)
	}

	// A last, undisturbed run completes delivery; SIGTERM stops it cleanly.
	cmd, addr := start()
	apptest.WaitFor(t, "the outlet's outbox to empty", func() bool { return outboxEmpty(addr) })
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("outlet did not stop cleanly on SIGTERM: %v", err)
	}

	o = apptest.NewOutletAt(t, cfg, apptest.RealClock())
	got, latest := branchReports(t, &network{branch: b}, "SY007"), outletLatest(t, o)
	st, _ := o.Svc.ReporterStatus(context.Background())
	t.Logf("%d kills, %d during a push; branch holds %v; %d receipts; pending %d", kills, midPush, got, len(b.Receipts()), st.Pending)
	if len(got) != days || st.Pending != 0 {
		t.Fatalf("branch holds %d days (want %d), outlet still has %d pending: %s", len(got), days, st.Pending, st.LastError)
	}
	for day, rev := range latest {
		if got[day] != rev {
			t.Errorf("%s: branch revision %d, outlet's latest %d", day, got[day], rev)
		}
	}
}

// pointLinkAt makes an enrolled outlet push to url (a proxy) from now on.
func pointLinkAt(t *testing.T, dataDir, url string) {
	t.Helper()
	path := filepath.Join(dataDir, outlet.LinkFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var link map[string]any
	if err := json.Unmarshal(b, &link); err != nil {
		t.Fatal(err)
	}
	link["branch_url"] = url
	b, _ = json.Marshal(link)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// listenAddr reads the outlet's start-up lines until it says where it listens.
func listenAddr(t *testing.T, out io.Reader) string {
	t.Helper()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), " listening on "); ok {
			go io.Copy(io.Discard, out)
			return after
		}
	}
	t.Fatal("the outlet never said where it listens")
	return ""
}

// outboxEmpty asks a running outlet's /healthz whether its reporter has
// nothing pending.
func outboxEmpty(addr string) bool {
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var h struct{ Reporter outlet.ReporterStatus }
	return json.NewDecoder(resp.Body).Decode(&h) == nil && h.Reporter.Enrolled && h.Reporter.Pending == 0
}
