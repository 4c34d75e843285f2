package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"harbor/app/db"
	"harbor/app/outlet"
)

// checkInFigures is what the checkin scenario measured.
type checkInFigures struct {
	Machine      machine       `json:"machine"`
	Rounds       int           `json:"rounds"`
	Saturation   []saturation  `json:"saturation"` // one per client count
	BareBest     float64       `json:"bare_best"`  // highest median over the client counts
	OutletBest   float64       `json:"outlet_best"`
	Ratio        float64       `json:"ratio"` // OutletBest / BareBest
	Phases       []phaseResult `json:"phases"`
	Acknowledged int           `json:"acknowledged"` // 201 answers
	RowsOnDisk   int           `json:"rows_on_disk"` // check-ins found after closing the server
	Missing      int           `json:"missing"`      // acknowledged ids not found
	Locked       int64         `json:"database_locked"`
	ServerErrors int64         `json:"server_errors"`
}

// saturation is the closed-loop throughput at one client count: per round
// and the median of the rounds, for bare Fiber and the outlet.
type saturation struct {
	Clients      int       `json:"clients"`
	BareRounds   []float64 `json:"bare_per_second"`
	OutletRounds []float64 `json:"outlet_per_second"`
	BareMedian   float64   `json:"bare_median"`
	OutletMedian float64   `json:"outlet_median"`
}

// loadFlags are the flags of a scenario that saturates a check-in
// endpoint against bare Fiber and then runs it at fixed rates.
type loadFlags struct {
	clientList, rateList, profile string
	dur, rateDur                  time.Duration
	rounds                        int

	counts, rates []int // parsed
}

// addLoadFlags defines them on fs; target names what is measured.
func addLoadFlags(fs *flag.FlagSet, target string) *loadFlags {
	l := &loadFlags{}
	fs.StringVar(&l.clientList, "clients", "32,128,256", "concurrent clients in the saturation runs, comma-separated")
	fs.DurationVar(&l.dur, "duration", 5*time.Second, "length of one saturation run")
	fs.IntVar(&l.rounds, "rounds", 3, "saturation rounds; each runs bare Fiber, then the "+target)
	fs.StringVar(&l.rateList, "rates", "200,1000,2000", "fixed check-in rates per second, comma-separated")
	fs.DurationVar(&l.rateDur, "rate-duration", 10*time.Second, "length of one fixed-rate run")
	fs.StringVar(&l.profile, "cpuprofile", "", "run one more "+target+" saturation run under the CPU profiler, writing here")
	return l
}

// parse reads the lists, after fs.Parse.
func (l *loadFlags) parse() (err error) {
	if l.rates, err = parseInts("-rates", l.rateList); err != nil {
		return err
	}
	l.counts, err = parseInts("-clients", l.clientList)
	return err
}

func runCheckIn(args []string) error {
	var jsonPath, tracePath string
	fs := newFlags("checkin", &jsonPath)
	load := addLoadFlags(fs, "outlet")
	bareRates := fs.Bool("bare-rates", true, "also run the fixed rates against bare Fiber")
	fs.StringVar(&tracePath, "trace", "", "run one more 1 s outlet saturation run under the execution tracer, writing here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := load.parse(); err != nil {
		return err
	}
	srv, err := startServers()
	if err != nil {
		return err
	}
	defer os.RemoveAll(srv.DataDir)
	svc := srv.Outlet.Svc
	lc := newLoadClient(1024, svc.PosterToken(""), amenityCodes(svc))
	checkins := srv.OutletURL + "/api/v1/checkins"
	acks := &ackLog{}
	f := checkInFigures{Machine: thisMachine(), Rounds: load.rounds}
	fmt.Println("machine:", f.Machine)

	lc.saturate(srv.BareURL, load.counts[0], time.Second, nil) // warm up: connections, caches
	lc.saturate(checkins, load.counts[0], time.Second, acks)
	f.measureSaturation(lc, srv.BareURL, checkins, load.counts, load.dur, acks)
	n := load.counts[len(load.counts)-1]
	if load.profile != "" {
		if err := cpuProfiled(load.profile, "one outlet saturation run", func() error { lc.saturate(checkins, n, load.dur, acks); return nil }); err != nil {
			return err
		}
	}
	if tracePath != "" {
		if err := traced(tracePath, "one 1 s outlet saturation run", func() error { lc.saturate(checkins, n, time.Second, acks); return nil }); err != nil {
			return err
		}
	}
	for _, rate := range load.rates {
		if *bareRates {
			f.Phases = append(f.Phases, lc.openLoop(srv.BareURL, rate, load.rateDur, nil).result("bare", "rate", 0, rate))
		}
		f.Phases = append(f.Phases, lc.openLoop(checkins, rate, load.rateDur, acks).result("outlet", "rate", 0, rate))
	}
	if err := srv.stop(); err != nil {
		return fmt.Errorf("stop the outlet: %w", err)
	}
	f.Locked, f.ServerErrors = srv.Logs.Locked.Load(), srv.Logs.Errors.Load()
	f.Acknowledged = acks.len()
	if f.RowsOnDisk, f.Missing, err = verifyAcks(filepath.Join(srv.DataDir, outlet.DBFile), acks.ids); err != nil {
		return err
	}
	printCheckIn(f, srv.Logs.FirstErrors())
	return writeJSON(jsonPath, f)
}

// measureSaturation runs the rounds of closed-loop saturation: for each
// client count, bare Fiber then the outlet. It fills the medians and the
// best-of ratio.
func (f *checkInFigures) measureSaturation(lc *loadClient, bareURL, checkins string, counts []int, d time.Duration, acks *ackLog) {
	f.Saturation, f.Phases, f.BareBest, f.OutletBest = saturationRounds(lc, "outlet", bareURL, checkins, counts, f.Rounds, d, acks)
	f.Ratio = f.OutletBest / f.BareBest
}

// saturationRounds runs rounds of closed-loop saturation, for each client
// count bare Fiber then target at url, and returns the runs, their
// phases and the best median of each.
func saturationRounds(lc *loadClient, target, bareURL, url string, counts []int, rounds int, d time.Duration,
	acks *ackLog) (sats []saturation, phases []phaseResult, bareBest, best float64) {
	for _, n := range counts {
		sats = append(sats, saturation{Clients: n})
	}
	for r := 1; r <= rounds; r++ {
		for i, n := range counts {
			sat := &sats[i]
			bare := lc.saturate(bareURL, n, d, nil).result("bare", "saturation", n, 0)
			out := lc.saturate(url, n, d, acks).result(target, "saturation", n, 0)
			sat.BareRounds, sat.OutletRounds = append(sat.BareRounds, bare.PerSec), append(sat.OutletRounds, out.PerSec)
			phases = append(phases, bare, out)
			fmt.Printf("round %d, %d clients: bare %.0f/s, %s %.0f check-ins/s\n", r, n, bare.PerSec, target, out.PerSec)
		}
	}
	for i := range sats {
		sat := &sats[i]
		sat.BareMedian, sat.OutletMedian = median(sat.BareRounds), median(sat.OutletRounds)
		bareBest, best = max(bareBest, sat.BareMedian), max(best, sat.OutletMedian)
	}
	return sats, phases, bareBest, best
}

func printCheckIn(f checkInFigures, errLines []string) {
	printSaturation("outlet", f.Phases, f.Saturation, f.Rounds, f.BareBest, f.OutletBest, "30 %", " (target ≤ 20 ms)")
	fmt.Printf("acknowledged (201): %d; check-ins on disk after shutdown: %d; acknowledged but missing: %d\n",
		f.Acknowledged, f.RowsOnDisk, f.Missing)
	fmt.Printf("server log: %d errors, %d \"database is locked\"\n", f.ServerErrors, f.Locked)
	for _, l := range errLines {
		fmt.Println("  ", l)
	}
}

// printSaturation prints the phases, the saturation medians and best
// ratio of target against bare Fiber, with its targets, and the p99 at
// 2,000 check-ins/s.
func printSaturation(target string, phases []phaseResult, sats []saturation, rounds int, bareBest, best float64,
	ratioTarget, p99Target string) {
	fmt.Println()
	printPhases(os.Stdout, phases)
	fmt.Printf("\nsaturation, median of %d rounds per client count:\n", rounds)
	for _, sat := range sats {
		fmt.Printf("  %4d clients: bare Fiber %6.0f req/s, %s %6.0f check-ins/s (%.1f%%)\n",
			sat.Clients, sat.BareMedian, target, sat.OutletMedian, 100*sat.OutletMedian/sat.BareMedian)
	}
	fmt.Printf("best: bare Fiber %.0f req/s, %s %.0f check-ins/s, ratio %.1f%% (target ≥ %s)\n",
		bareBest, target, best, 100*best/bareBest, ratioTarget)
	for _, p := range phases {
		if p.Target == target && p.Phase == "rate" && p.Rate == 2000 {
			fmt.Printf("p99 at 2,000 check-ins/s: %.2f ms%s\n", p.P99, p99Target)
		}
	}
}

// verifyAcks reopens the closed outlet database and looks up every
// acknowledged check-in id.
func verifyAcks(path string, ids []int64) (rows, missing int, err error) {
	d, err := db.OpenSQLite(path)
	if err != nil {
		return 0, 0, err
	}
	defer d.Close()
	var stored []int64
	if err := d.Read.WithContext(context.Background()).Raw(`SELECT id FROM checkins ORDER BY id`).Scan(&stored).Error; err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		if _, ok := slices.BinarySearch(stored, id); !ok {
			missing++
		}
	}
	return len(stored), missing, nil
}

func amenityCodes(svc *outlet.Service) []string {
	var out []string
	for _, a := range svc.Profile().Amenities {
		out = append(out, a.Code)
	}
	return out
}

func parseInts(flag, s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s %q: want positive integers separated by commas", flag, s)
		}
		out = append(out, n)
	}
	return out, nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
