package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app"
	"harbor/app/db"
	"harbor/app/outlet"
	"harbor/config"
)

// gatewayFigures is what the gateway scenario measured.
type gatewayFigures struct {
	Machine      machine       `json:"machine"`
	Rounds       int           `json:"rounds"`
	Saturation   []saturation  `json:"saturation"` // OutletRounds/OutletMedian hold the gateway's
	BareBest     float64       `json:"bare_best"`
	GatewayBest  float64       `json:"gateway_best"`
	Ratio        float64       `json:"ratio"` // GatewayBest / BareBest
	Phases       []phaseResult `json:"phases"`
	Acknowledged int           `json:"acknowledged"`
	Missing      int           `json:"missing"` // acknowledged item ids not in the inbox after closing
	DrainItems   int           `json:"drain_items"`
	DrainSeconds float64       `json:"drain_seconds"`
	DrainPerSec  float64       `json:"drain_per_second"`
	DrainCounted int           `json:"drain_counted"` // check-ins at the outlet afterwards
}

// gatewayBench is a branch, a public gateway and one enrolled outlet in
// this process on loopback, and a bare Fiber app.
type gatewayBench struct {
	dir       string
	branch    *app.Branch
	gateway   *app.Gateway
	outlet    *app.Outlet
	publicURL string
	bareURL   string
	stop      context.CancelFunc
	done      sync.WaitGroup
}

func runGateway(args []string) error {
	var jsonPath string
	fs := newFlags("gateway", &jsonPath)
	load := addLoadFlags(fs, "gateway")
	drain := fs.Int("drain", 100000, "items in the inbox an outlet then drains (0: skip)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := load.parse(); err != nil {
		return err
	}
	f := gatewayFigures{Machine: thisMachine(), Rounds: load.rounds}
	fmt.Println("machine:", f.Machine)
	if err := f.measureCheckIns(load.counts, load.dur, load.rates, load.rateDur, load.profile); err != nil {
		return err
	}
	if *drain > 0 {
		if err := f.measureDrain(*drain); err != nil {
			return err
		}
	}
	printGateway(f)
	return writeJSON(jsonPath, f)
}

// measureCheckIns saturates bare Fiber and the gateway's public listener
// in turns, then runs the fixed rates, and checks every acknowledged item
// is on disk once the gateway closed.
func (f *gatewayFigures) measureCheckIns(counts []int, d time.Duration, rates []int, rateDur time.Duration, profile string) error {
	g, err := startGatewayBench()
	if err != nil {
		return err
	}
	defer os.RemoveAll(g.dir)
	svc := g.outlet.Svc
	lc := newLoadClientFor(1024, svc.Profile().Code, svc.PosterToken(""), amenityCodes(svc))
	checkins := g.publicURL + "/api/v1/checkins"
	acks := &ackLog{}
	lc.saturate(g.bareURL, counts[0], time.Second, nil) // warm up
	lc.saturate(checkins, counts[0], time.Second, acks)
	f.Saturation, f.Phases, f.BareBest, f.GatewayBest = saturationRounds(lc, "gateway", g.bareURL, checkins, counts, f.Rounds, d, acks)
	f.Ratio = f.GatewayBest / f.BareBest
	if profile != "" {
		n := counts[len(counts)-1]
		if err := cpuProfiled(profile, "one gateway saturation run", func() error { lc.saturate(checkins, n, d, acks); return nil }); err != nil {
			return err
		}
	}
	for _, rate := range rates {
		f.Phases = append(f.Phases, lc.openLoop(g.bareURL, rate, rateDur, nil).result("bare", "rate", 0, rate),
			lc.openLoop(checkins, rate, rateDur, acks).result("gateway", "rate", 0, rate))
	}
	if err := g.close(); err != nil {
		return err
	}
	f.Acknowledged = acks.len()
	f.Missing, err = missingItems(filepath.Join(g.dir, "gateway", config.GatewayDBFile), acks.ids)
	return err
}

// measureDrain fills a fresh gateway's inbox with n scans (through the
// station's check-in path, in this process) and times the outlet pulling
// and applying them all.
func (f *gatewayFigures) measureDrain(n int) error {
	g, err := startGatewayBench()
	if err != nil {
		return err
	}
	defer os.RemoveAll(g.dir)
	defer g.close()
	ctx := context.Background()
	o := g.outlet.Svc
	st, err := g.gateway.Svc.Station(o.Profile().Code)
	if err != nil {
		return err
	}
	fmt.Printf("filling the inbox with %d scans...\n", n)
	var wg sync.WaitGroup
	var fillErr error
	var mu sync.Mutex
	for w := range 64 {
		wg.Go(func() {
			for i := w; i < n; i += 64 {
				_, err := st.RecordCheckIn(ctx, outlet.CheckInRequest{Outlet: o.Profile().Code, Token: o.PosterToken(""),
					Amenities: []string{"water", "phone_charging"}[:1+i%2], VisitorID: outlet.NewVisitorID()})
				if err != nil {
					mu.Lock()
					fillErr = err
					mu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if fillErr != nil {
		return fillErr
	}
	fmt.Println("draining...")
	start := time.Now()
	for {
		res, err := g.outlet.Puller.Pull(ctx, 0)
		if err != nil {
			return err
		}
		f.DrainItems += res.Items
		if res.Items == 0 && !res.More {
			break
		}
	}
	f.DrainSeconds = time.Since(start).Seconds()
	f.DrainPerSec = float64(f.DrainItems) / f.DrainSeconds
	day := time.Now().In(o.Location()).Format(time.DateOnly)
	r, err := o.BuildReport(ctx, day)
	f.DrainCounted = r.Totals.CheckIns
	return err
}

func printGateway(f gatewayFigures) {
	printSaturation("gateway", f.Phases, f.Saturation, f.Rounds, f.BareBest, f.GatewayBest, "40 %", "")
	fmt.Printf("acknowledged (201): %d; acknowledged but not in the inbox: %d\n", f.Acknowledged, f.Missing)
	if f.DrainItems > 0 {
		fmt.Printf("drain: %d items pulled and applied in %.1f s: %.0f items/s; the outlet counts %d check-ins\n",
			f.DrainItems, f.DrainSeconds, f.DrainPerSec, f.DrainCounted)
	}
}

// startGatewayBench starts a branch, a gateway believing it and an outlet
// enrolled at the branch that has given the gateway its sheet, all on
// loopback under a new temporary folder; and the bare Fiber app.
func startGatewayBench() (*gatewayBench, error) {
	dir, err := os.MkdirTemp("", "harbor-bench-gateway-")
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	g := &gatewayBench{dir: dir, stop: cancel}
	serve := func(h *fiber.App) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", err
		}
		g.done.Go(func() { h.Listener(ln) })
		return "http://" + ln.Addr().String(), nil
	}

	bcfg := config.BranchDefaults()
	bcfg.DataDir, bcfg.LogFormat, bcfg.Addr = filepath.Join(dir, "branch"), "json", "127.0.0.1:0"
	if err := bcfg.Validate(); err != nil {
		return nil, err
	}
	if g.branch, err = app.NewBranch(ctx, bcfg, nil); err != nil {
		return nil, err
	}
	branchURL, err := serve(g.branch.HTTP)
	if err != nil {
		return nil, err
	}
	key, err := g.branch.Svc.GatewayKey()
	if err != nil {
		return nil, err
	}

	gcfg := config.GatewayDefaults()
	gcfg.DataDir, gcfg.LogFormat, gcfg.RatePerMin = filepath.Join(dir, "gateway"), "json", 100000
	gcfg.Addr, gcfg.PullAddr, gcfg.AdminAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	gcfg.BranchKeys = []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}
	if err := gcfg.Validate(); err != nil {
		return nil, err
	}
	l, err := app.ListenGateway(gcfg)
	if err != nil {
		return nil, err
	}
	if g.gateway, err = app.NewGateway(ctx, gcfg, nil); err != nil {
		return nil, err
	}
	g.publicURL = "http://" + l.Public.Addr().String()
	g.done.Go(func() { g.gateway.Run(ctx, l) })

	ocfg := config.OutletDefaults()
	ocfg.DataDir, ocfg.LogFormat, ocfg.Addr = filepath.Join(dir, "outlet"), "json", "127.0.0.1:0"
	ocfg.PublicURL, ocfg.GatewayURL = g.publicURL, "http://"+l.Pulls.Addr().String()
	if err := ocfg.Validate(); err != nil {
		return nil, err
	}
	if g.outlet, err = app.NewOutlet(ctx, ocfg, nil); err != nil {
		return nil, err
	}
	ec, err := g.branch.Svc.AddOutlet(ctx, "SY001", "网点 SY001", "bench", time.Hour)
	if err != nil {
		return nil, err
	}
	if _, err := g.outlet.Svc.Enroll(ctx, branchURL, ec.Code, &http.Client{Timeout: 10 * time.Second}); err != nil {
		return nil, err
	}
	if _, err := g.outlet.Puller.Pull(ctx, 0); err != nil {
		return nil, err
	}
	bare := fiber.New(fiber.Config{DisableStartupMessage: true})
	bare.All("/bare", func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusOK) })
	if g.bareURL, err = serve(bare); err != nil {
		return nil, err
	}
	g.bareURL += "/bare"
	return g, nil
}

// close stops the servers and closes the databases, so that everything
// acknowledged is on disk.
func (g *gatewayBench) close() error {
	g.stop()
	g.branch.HTTP.Shutdown()
	err := g.gateway.Close()
	g.outlet.Close()
	g.branch.Close()
	return err
}

// missingItems reopens the closed gateway database and counts the
// acknowledged item ids it does not hold.
func missingItems(path string, ids []int64) (int, error) {
	d, err := db.OpenSQLite(path)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var stored []int64
	if err := d.Read.Raw(`SELECT id FROM inbox ORDER BY id`).Scan(&stored).Error; err != nil {
		return 0, err
	}
	missing := 0
	for _, id := range ids {
		if _, ok := slices.BinarySearch(stored, id); !ok {
			missing++
		}
	}
	return missing, nil
}
