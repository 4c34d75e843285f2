package app_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
)

// TestCheckInsSurviveSIGKILL runs the outlet as a real process under
// check-in load and kills it with SIGKILL at random moments, 20 times.
// Every check-in that was answered 201 must be in the database, and no
// check-in may be half written.
func TestCheckInsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		apptest.Skip(t, "real-process tests", "run without -short")
	}
	bin := apptest.HarborBinary(t)
	cfg := apptest.OutletConfig(t)
	o := apptest.NewOutletAt(t, cfg, apptest.RealClock())
	token := o.Svc.PosterToken("")
	o.Close()

	var acked sync.Map // check-in id -> amenities acknowledged
	var total atomic.Int64
	for round := 0; round < 20; round++ {
		cmd := exec.Command(bin, "outlet", "--data-dir", cfg.DataDir, "--addr", "127.0.0.1:0",
			"--rate-limit", "100000", "--log-format", "json")
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill() }) // if the test stops early
		addr := listenAddr(t, out)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				client := &http.Client{Timeout: 2 * time.Second}
				for {
					select {
					case <-stop:
						return
					default:
					}
					amenities := []string{"water", "tea", "toilet"}[:1+rand.IntN(3)]
					b, _ := json.Marshal(map[string]any{"token": token, "amenities": amenities})
					resp, err := client.Post("http://"+addr+"/api/v1/checkins", "application/json", bytes.NewReader(b))
					if err != nil {
						continue // the process is gone: not acknowledged
					}
					var r struct {
						ID       int64
						Recorded []string
					}
					json.NewDecoder(resp.Body).Decode(&r)
					resp.Body.Close()
					if resp.StatusCode == http.StatusCreated {
						acked.Store(r.ID, len(r.Recorded))
						total.Add(1)
					}
				}
			}()
		}
		time.Sleep(time.Duration(30+rand.IntN(250)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		close(stop)
		wg.Wait()
	}

	r := apptest.NewOutletAt(t, cfg, apptest.RealClock())
	db := r.Svc.DB().Read
	var check string
	db.Raw("PRAGMA integrity_check").Scan(&check)
	if check != "ok" {
		t.Fatalf("integrity check: %s", check)
	}
	missing := 0
	acked.Range(func(k, v any) bool {
		var n int
		db.Raw(`SELECT COUNT(*) FROM checkin_amenities WHERE checkin_id = ?`, k).Scan(&n)
		if n != v.(int) {
			missing++
		}
		return true
	})
	var orphans, empty int
	db.Raw(`SELECT COUNT(*) FROM checkin_amenities ca LEFT JOIN checkins c ON c.id = ca.checkin_id WHERE c.id IS NULL`).Scan(&orphans)
	db.Raw(`SELECT COUNT(*) FROM checkins c WHERE NOT EXISTS (SELECT 1 FROM checkin_amenities WHERE checkin_id = c.id)`).Scan(&empty)
	t.Logf("20 kills; %d check-ins acknowledged, %d stored", total.Load(), countRows(t, r, "checkins"))
	if total.Load() == 0 {
		t.Fatal("no check-in was acknowledged: the load never reached the server")
	}
	if missing > 0 || orphans > 0 || empty > 0 {
		t.Fatalf("%d acknowledged check-ins lost, %d orphan amenity rows, %d check-ins without amenities", missing, orphans, empty)
	}
}

// TestSIGTERMDrains: on SIGTERM under load the outlet finishes the requests
// in flight, stops, and exits 0; every answered check-in is stored.
func TestSIGTERMDrains(t *testing.T) {
	if testing.Short() {
		apptest.Skip(t, "real-process tests", "run without -short")
	}
	bin := apptest.HarborBinary(t)
	cfg := apptest.OutletConfig(t)
	o := apptest.NewOutletAt(t, cfg, apptest.RealClock())
	token := o.Svc.PosterToken("")
	o.Close()
	cmd := exec.Command(bin, "outlet", "--data-dir", cfg.DataDir, "--addr", "127.0.0.1:0", "--rate-limit", "100000")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() }) // if the test stops early
	addr := listenAddr(t, out)
	var acked, failed atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/checkins",
					bytes.NewReader([]byte(`{"token":"`+token+`","amenities":["water"]}`)))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Cookie", "hv="+outlet.NewVisitorID()) // a phone of its own
				resp, err := client.Do(req)
				if err != nil {
					return // the server has stopped accepting
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated {
					acked.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	apptest.WaitFor(t, "check-ins answered 201 under load", func() bool { return acked.Load() >= 20 })
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	r := apptest.NewOutletAt(t, cfg, apptest.RealClock())
	stored := countRows(t, r, "checkins")
	t.Logf("stopped in %s; %d answered 201, %d other answers, %d stored", time.Since(start).Round(time.Millisecond), acked.Load(), failed.Load(), stored)
	if failed.Load() != 0 || int64(stored) < acked.Load() || acked.Load() == 0 {
		t.Fatalf("%d requests failed during the drain; %d stored of %d answered", failed.Load(), stored, acked.Load())
	}
}
