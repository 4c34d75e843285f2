package app

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"harbor/app/outlet"
	"harbor/app/pull"
	"harbor/config"
	"harbor/models"
)

// DemoOptions configure 'harbor demo'.
type DemoOptions struct {
	Dir  string // parent folder of the five data folders
	Host string // host to listen on, e.g. 127.0.0.1 or "" for all
	// Port is the branch's; the outlets use Port+1..Port+3, the gateway's
	// public, pull and admin listeners Port+4..Port+6; 0 picks free ports.
	Port int
	Once bool   // set up, simulate, push, print, and return without serving
	Seed uint64 // random seed of the simulated visits
}

var demoOutlets = []struct{ Code, Name, Group string }{
	{"SY001", "十堰分行营业部劳动者港湾", "城区"},
	{"SY002", "人民路支行劳动者港湾", "城区"},
	{"SY003", "东岳路支行劳动者港湾", "东城"},
}

// simClock is the wall clock shifted by an offset, so the demo can record
// yesterday's visits through the real check-in path.
type simClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *simClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return time.Now().Add(c.offset) }
func (c *simClock) set(t time.Time) {
	c.mu.Lock()
	c.offset = time.Until(t)
	c.mu.Unlock()
}

// RunDemo starts a branch, a public gateway and three outlets in one
// process, enrolls the outlets, simulates yesterday's and this morning's
// visits, pushes the reports, hands the gateway the outlets' sheets and
// prints where to look. Unless opts.Once, it serves until ctx is cancelled.
func RunDemo(ctx context.Context, opts DemoOptions, out io.Writer) error {
	bcfg := config.BranchDefaults()
	bcfg.DataDir, bcfg.LogFormat = filepath.Join(opts.Dir, "branch"), "text"
	bln, err := listenDemo(opts, 0)
	if err != nil {
		return err
	}
	bcfg.Addr = bln.Addr().String()
	if err := bcfg.Validate(); err != nil {
		return err
	}
	b, err := NewBranch(ctx, bcfg, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); Serve(serveCtx, b.HTTP, bln, 5*time.Second) }()

	gw, gl, err := demoGateway(ctx, opts, b)
	if err != nil {
		return err
	}
	defer gw.Close()
	wg.Add(1)
	go func() { defer wg.Done(); gw.Run(serveCtx, gl) }()

	rnd := rand.New(rand.NewPCG(opts.Seed, 7))
	var outlets []*Outlet
	var listeners []net.Listener
	for i, d := range demoOutlets {
		o, ln, err := demoOutlet(ctx, opts, i+1, d.Code, d.Name, d.Group, b, gw, rnd)
		if err != nil {
			return err
		}
		defer o.Close()
		outlets, listeners = append(outlets, o), append(listeners, ln)
	}
	printDemo(ctx, out, b, gw, outlets)
	if opts.Once {
		for _, ln := range listeners {
			ln.Close()
		}
		stop()
		wg.Wait()
		return nil
	}
	for i, o := range outlets {
		wg.Add(1)
		go func() { defer wg.Done(); o.Run(serveCtx, listeners[i]) }()
	}
	fmt.Fprintln(out, "\nserving; press Ctrl-C to stop")
	<-ctx.Done()
	stop()
	wg.Wait()
	return nil
}

func listenDemo(opts DemoOptions, offset int) (net.Listener, error) {
	port := 0
	if opts.Port != 0 {
		port = opts.Port + offset
	}
	addr := net.JoinHostPort(opts.Host, strconv.Itoa(port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// demoGateway opens the public gateway, believing the branch's credentials.
func demoGateway(ctx context.Context, opts DemoOptions, b *Branch) (*Gateway, GatewayListeners, error) {
	var l GatewayListeners
	key, err := b.Svc.GatewayPublicKey()
	if err != nil {
		return nil, l, err
	}
	cfg := config.GatewayDefaults()
	cfg.DataDir, cfg.LogFormat = filepath.Join(opts.Dir, "gateway"), "text"
	for i, ln := range []*net.Listener{&l.Public, &l.Pulls, &l.Admin} {
		if *ln, err = listenDemo(opts, 4+i); err != nil {
			return nil, l, err
		}
	}
	cfg.Addr, cfg.PullAddr, cfg.AdminAddr = l.Public.Addr().String(), l.Pulls.Addr().String(), l.Admin.Addr().String()
	k, err := pull.ParseKey(key)
	if err != nil {
		return nil, l, err
	}
	cfg.BranchKeys = []ed25519.PublicKey{k}
	if err := cfg.Validate(); err != nil {
		return nil, l, err
	}
	g, err := NewGateway(ctx, cfg, nil)
	return g, l, err
}

// demoOutlet opens one outlet, registers and enrolls it at the branch,
// points it at the gateway, simulates its visits, pushes its reports and
// hands the gateway its sheet.
func demoOutlet(ctx context.Context, opts DemoOptions, n int, code, name, group string, b *Branch, gw *Gateway,
	rnd *rand.Rand) (*Outlet, net.Listener, error) {
	ln, err := listenDemo(opts, n)
	if err != nil {
		return nil, nil, err
	}
	cfg := config.OutletDefaults()
	cfg.DataDir, cfg.Code, cfg.Name, cfg.LogFormat = filepath.Join(opts.Dir, "outlet-"+code), code, name, "text"
	cfg.Addr = ln.Addr().String()
	cfg.PublicURL, cfg.GatewayURL = gw.Cfg.BaseURL, "http://"+gw.Cfg.PullAddr
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	clock := &simClock{}
	o, err := NewOutlet(ctx, cfg, clock.Now)
	if err != nil {
		return nil, nil, err
	}
	if link, _ := o.Svc.Link(); link == nil {
		ec, err := b.Svc.AddOutlet(ctx, code, name, group, time.Hour)
		if err != nil {
			return nil, nil, err
		}
		if _, err := o.Svc.Enroll(ctx, b.Cfg.BaseURL, ec.Code, &http.Client{Timeout: 10 * time.Second}); err != nil {
			return nil, nil, fmt.Errorf("enroll %s: %w", code, err)
		}
	}
	// A place in Shiyan, so that the branch's directory can sort by distance.
	if err := o.Svc.SetPlace(ctx, fmt.Sprintf("十堰市演示路 %d 号", n), fmt.Sprintf("%.4f", 32.62+0.01*float64(n)), "110.7980"); err != nil {
		return nil, nil, err
	}
	if err := simulateVisits(ctx, o.Svc, clock, rnd); err != nil {
		return nil, nil, err
	}
	clock.set(time.Now())
	if err := o.Reporter.Cycle(ctx); err != nil {
		return nil, nil, err
	}
	if _, err := o.Reporter.DeliverNow(ctx); err != nil {
		return nil, nil, err
	}
	if _, err := o.Puller.Pull(ctx, 0); err != nil {
		return nil, nil, fmt.Errorf("first pull of %s: %w", code, err)
	}
	return o, ln, nil
}

// simulateVisits records yesterday's visits and this morning's so far,
// through the real check-in path: tokens, visitor cookies, dedupe.
func simulateVisits(ctx context.Context, svc *outlet.Service, clock *simClock, rnd *rand.Rand) error {
	loc := svc.Location()
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	regulars := make([]string, 25) // workers who come back several times
	for i := range regulars {
		regulars[i] = outlet.NewVisitorID()
	}
	amenities := svc.Profile().Amenities
	popular := []string{"water", "hot_water", "phone_charging", "rest", "toilet", "microwave", "ebike_charging", "wifi", "cooling", "heating"}
	for t := today.AddDate(0, 0, -1).Add(6*time.Hour + 30*time.Minute); t.Before(now); {
		clock.set(t)
		visitor := outlet.NewVisitorID()
		if rnd.IntN(3) == 0 {
			visitor = regulars[rnd.IntN(len(regulars))]
		}
		codes := []string{popular[rnd.IntN(len(popular))]}
		if rnd.IntN(2) == 0 {
			codes = append(codes, amenities[rnd.IntN(len(amenities))].Code)
		}
		token := svc.PosterToken("")
		if rnd.IntN(3) == 0 {
			token = svc.LiveToken()
		}
		category := ""
		if rnd.IntN(4) != 0 {
			category = models.Categories[rnd.IntN(len(models.Categories))].Code
		}
		_, err := svc.RecordCheckIn(ctx, outlet.CheckInRequest{Outlet: svc.Profile().Code, Token: token,
			Amenities: codes, Category: category, VisitorID: visitor})
		if err != nil {
			return fmt.Errorf("simulated check-in: %w", err)
		}
		t = t.Add(demoGap(t.Hour(), rnd))
		if h := t.Hour(); h >= 21 { // the station closes at nine
			t = time.Date(t.Year(), t.Month(), t.Day()+1, 6, 30, 0, 0, loc)
		}
	}
	return nil
}

// demoGap is the time to the next visit: short at meal times and rush hours.
func demoGap(hour int, rnd *rand.Rand) time.Duration {
	mean := 12 * time.Minute
	switch hour {
	case 7, 8, 11, 12, 17, 18:
		mean = 4 * time.Minute
	}
	return time.Duration(rnd.Int64N(int64(2*mean))) + 20*time.Second
}

func printDemo(ctx context.Context, out io.Writer, b *Branch, gw *Gateway, outlets []*Outlet) {
	fmt.Fprintf(out, "harbor demo: a branch, a public gateway and %d outlets\n\n", len(outlets))
	fmt.Fprintf(out, "branch  %s  (health %s/healthz)\n", b.Cfg.BaseURL, b.Cfg.BaseURL)
	fmt.Fprintf(out, "  console:   %s/console/  (an account first: harbor branch user add NAME --role admin --data-dir %s)\n",
		b.Cfg.BaseURL, b.Cfg.DataDir)
	fmt.Fprintf(out, "  directory: %s/directory\n", b.Cfg.BaseURL)
	fmt.Fprintf(out, "\ngateway %s  (phones on any network; health http://%s/healthz)\n", gw.Cfg.BaseURL, gw.Cfg.AdminAddr)
	fmt.Fprintf(out, "  directory: %s/directory\n", gw.Cfg.BaseURL)
	for _, o := range outlets {
		p := o.Svc.Profile()
		key, _ := o.Svc.DisplayKey(ctx)
		st, _ := o.Svc.ReporterStatus(ctx)
		fmt.Fprintf(out, "\noutlet %s 「%s」  data %s\n", p.Code, p.Name, o.Cfg.DataDir)
		fmt.Fprintf(out, "  station page (gateway): %s\n", o.Svc.StationURL("", o.Svc.PosterToken("")))
		fmt.Fprintf(out, "  station page (Wi-Fi):   %s\n", o.Svc.LocalStationURL("", o.Svc.PosterToken("")))
		fmt.Fprintf(out, "  lobby display: %s/display?key=%s\n", o.Cfg.BaseURL, key)
		fmt.Fprintf(out, "  staff console: %s/staff\n", o.Cfg.BaseURL)
		fmt.Fprintf(out, "  reports: %d pending, last error %q\n", st.Pending, st.LastError)
	}
	yesterday, _ := models.LocalDay(time.Now().AddDate(0, 0, -1), outlets[0].Svc.Location())
	if sum, err := b.Svc.Summary(ctx, yesterday); err == nil {
		fmt.Fprintf(out, "\nbranch figures for %s: %d check-ins, %d visitors (per outlet per day) from %d outlets\n",
			yesterday, sum.Total.CheckIns, sum.Total.Visitors, len(sum.Outlets))
	}
	fmt.Fprintf(out, "try: harbor branch summary --data-dir %s --day %s\n", b.Cfg.DataDir, yesterday)
}
