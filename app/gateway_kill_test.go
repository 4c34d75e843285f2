package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/config"
)

// TestGatewayKilledUnderLoad runs the gateway as a real process under scan
// load and kills it with SIGKILL at random moments, 10 times, while an
// outlet pulls from it. Every scan the gateway acknowledged (201) must
// reach the outlet exactly once: applied, as one check-in, never twice.
func TestGatewayKilledUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills real processes")
	}
	bin := apptest.HarborBinary(t)
	b := apptest.NewBranchAt(t, apptest.BranchConfig(t), apptest.RealClock())
	n := &network{t: t, clock: apptest.RealClock(), branch: b, url: apptest.ServeHTTP(t, b.HTTP)}
	key, err := b.Svc.GatewayPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	public, pulls, admin := freeAddr(t), freeAddr(t), freeAddr(t)
	dataDir := t.TempDir()
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "gateway", "--data-dir", dataDir, "--addr", public, "--pull-addr", pulls,
			"--admin-addr", admin, "--branch-key", key, "--base-url", "http://"+public,
			"--rate-limit", "100000", "--max-conns-per-ip", "100000", "--log-format", "json")
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		listenAddr(t, out)
		return cmd
	}
	cmd := start()
	o := n.addOutletWith("SY001", n.url, n.clock, func(c *config.Outlet) {
		c.PublicURL, c.GatewayURL = "http://"+public, "http://"+pulls
	})
	o.Puller.BackoffBase, o.Puller.BackoffCap = 10*time.Millisecond, 200*time.Millisecond
	ctx, stopPulling := context.WithCancel(context.Background())
	var pulling sync.WaitGroup
	pulling.Go(func() { o.Puller.Run(ctx) })
	defer func() { stopPulling(); pulling.Wait() }()
	token := o.Svc.PosterToken("")
	apptest.WaitFor(t, "the gateway to have the outlet's sheet", func() bool {
		resp, err := http.Get("http://" + public + "/k/SY001?t=" + token)
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})

	var acked sync.Map // inbox item id acknowledged to a phone
	var total atomic.Int64
	scanLoad := func(stop chan struct{}, wg *sync.WaitGroup) {
		for range 4 {
			wg.Go(func() {
				client := &http.Client{Timeout: 2 * time.Second}
				for {
					select {
					case <-stop:
						return
					default:
					}
					body, _ := json.Marshal(map[string]any{"outlet": "SY001", "token": token, "amenities": []string{"water"}})
					req, _ := http.NewRequest(http.MethodPost, "http://"+public+"/api/v1/checkins", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					req.AddCookie(&http.Cookie{Name: "hv", Value: outlet.NewVisitorID()}) // a phone of its own
					resp, err := client.Do(req)
					if err != nil {
						continue // the gateway is gone: not acknowledged
					}
					var r struct{ ID int64 }
					json.NewDecoder(resp.Body).Decode(&r)
					resp.Body.Close()
					if resp.StatusCode == http.StatusCreated {
						acked.Store(r.ID, true)
						total.Add(1)
					}
				}
			})
		}
	}
	for range 10 {
		stop := make(chan struct{})
		var wg sync.WaitGroup
		scanLoad(stop, &wg)
		time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()
		cmd = start()
	}

	// Undisturbed, the outlet drains the inbox; then the gateway stops.
	apptest.WaitFor(t, "the outlet to apply every scan", func() bool {
		return gatewayPending(admin) == 0
	})
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the gateway did not stop cleanly: %v", err)
	}
	stopPulling()
	pulling.Wait()

	db := o.Svc.DB().Read
	missing := 0
	acked.Range(func(id, _ any) bool {
		var outcome string
		db.Raw(`SELECT outcome FROM gateway_applied WHERE item = ?`, id).Scan(&outcome)
		if outcome != outlet.OutcomeRecorded {
			missing++
		}
		return true
	})
	var applied, checkins int
	db.Raw(`SELECT COUNT(*) FROM gateway_applied WHERE outcome = ?`, outlet.OutcomeRecorded).Scan(&applied)
	db.Raw(`SELECT COUNT(*) FROM checkins WHERE flags & 4`).Scan(&checkins)
	t.Logf("10 kills; %d scans acknowledged, %d applied at the outlet", total.Load(), applied)
	if total.Load() == 0 {
		t.Fatal("no scan was acknowledged: the load never reached the gateway")
	}
	if missing > 0 || checkins != applied || applied < int(total.Load()) {
		t.Fatalf("%d acknowledged scans not applied; %d check-ins for %d applied items (%d acknowledged)",
			missing, checkins, applied, total.Load())
	}
}

// freeAddr is a loopback address with a port free now, for a process that
// must listen on the same one again after a restart.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// gatewayPending is the items waiting at a running gateway, from its
// admin /healthz; -1 when it does not answer.
func gatewayPending(admin string) int64 {
	resp, err := http.Get("http://" + admin + "/healthz")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var h struct{ Outlets []struct{ Pending int64 } }
	if json.NewDecoder(resp.Body).Decode(&h) != nil || len(h.Outlets) == 0 {
		return -1
	}
	var sum int64
	for _, o := range h.Outlets {
		sum += o.Pending
	}
	return sum
}
