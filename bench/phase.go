package main

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// phase collects the answers of one load phase.
type phase struct {
	mu       sync.Mutex
	lats     []time.Duration
	statuses map[int]int
	netErrs  int
	elapsed  time.Duration
}

func newPhase() *phase { return &phase{statuses: map[int]int{}} }

func (p *phase) add(lat time.Duration, status int, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.netErrs++
		return
	}
	p.statuses[status]++
	p.lats = append(p.lats, lat)
}

func (p *phase) finish(elapsed time.Duration) {
	p.elapsed = elapsed
	slices.Sort(p.lats)
}

// phaseResult is one line of the results table.
type phaseResult struct {
	Target   string         `json:"target"`
	Phase    string         `json:"phase"` // "saturation" or "rate"
	Clients  int            `json:"clients,omitempty"`
	Rate     int            `json:"rate,omitempty"` // requested per second
	Requests int            `json:"requests"`
	PerSec   float64        `json:"per_second"` // successful (2xx) answers per second
	P50      float64        `json:"p50_ms"`
	P90      float64        `json:"p90_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Statuses map[string]int `json:"statuses"` // answers by HTTP status; "net" for transport errors
}

func (p *phase) result(target, kind string, clients, rate int) phaseResult {
	r := phaseResult{Target: target, Phase: kind, Clients: clients, Rate: rate, Statuses: map[string]int{}}
	ok := 0
	for st, n := range p.statuses {
		r.Statuses[fmt.Sprint(st)] = n
		r.Requests += n
		if st >= 200 && st < 300 {
			ok += n
		}
	}
	if p.netErrs > 0 {
		r.Statuses["net"] = p.netErrs
		r.Requests += p.netErrs
	}
	r.PerSec = float64(ok) / p.elapsed.Seconds()
	r.P50, r.P90, r.P99 = ms(quantile(p.lats, 0.50)), ms(quantile(p.lats, 0.90)), ms(quantile(p.lats, 0.99))
	if len(p.lats) > 0 {
		r.Max = ms(p.lats[len(p.lats)-1])
	}
	return r
}

// quantile returns the q-quantile of sorted (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// errorsText lists the non-2xx answers, e.g. "429×3 net×1", or "-".
func (r phaseResult) errorsText() string {
	var parts []string
	for st, n := range r.Statuses {
		if st == "net" || st < "200" || st >= "300" {
			parts = append(parts, fmt.Sprintf("%s×%d", st, n))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// printPhases writes the results as a table.
func printPhases(w io.Writer, rows []phaseResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "target\tphase\tclients\trate/s\trequests\tok/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\terrors\t")
	for _, r := range rows {
		clients, rate := "-", "-"
		if r.Clients > 0 {
			clients = fmt.Sprint(r.Clients)
		}
		if r.Rate > 0 {
			rate = fmt.Sprint(r.Rate)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t\n", r.Target, r.Phase, clients, rate,
			r.Requests, r.PerSec, r.P50, r.P90, r.P99, r.Max, r.errorsText())
	}
	tw.Flush()
}

// ackLog remembers the id of every acknowledged (201) check-in, to look
// each one up in the database after the run.
type ackLog struct {
	mu  sync.Mutex
	ids []int64
}

func (a *ackLog) add(status int, id int64) {
	if a == nil || status != http.StatusCreated {
		return
	}
	a.mu.Lock()
	a.ids = append(a.ids, id)
	a.mu.Unlock()
}

func (a *ackLog) len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.ids)
}
