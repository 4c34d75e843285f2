// Command bench is harbor's load harness. It starts real servers on
// loopback, drives them with concurrent HTTP clients and prints the figures
// that docs/BENCHMARKS.md records:
//
//	go run ./bench checkin [flags]    check-in throughput and latency against a bare Fiber endpoint
//	go run ./bench rollup [flags]     seed 1,000,000 check-ins for one day, time BuildReport
//	go run ./bench page [flags]       station page: bytes gzip-compressed and requests
//	go run ./bench footprint [flags]  binary size, RSS idle and under load, start to healthy
//	go run ./bench ingest [flags]     branch: signed report pushes verified and stored per second
//	go run ./bench queries [flags]    branch: overview, assessment, outlet page and workbook on seeded data
//	go run ./bench gateway [flags]    public gateway: check-ins against bare Fiber, and an outlet draining its inbox
//
// Every scenario takes -json FILE to also write its figures as JSON.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"
)

const usage = `usage: go run ./bench <scenario> [flags]

scenarios:
  checkin     check-in throughput at saturation and latency at fixed rates, against a bare Fiber endpoint
  rollup      seed one day with 1,000,000 check-ins and time the daily report
  page        bytes and requests of the worker's station page
  footprint   binary size, resident memory idle and under load, start to healthy /healthz
  ingest      branch: enroll N outlets, push signed reports concurrently, reports stored per second
  queries     branch: seed outlets × days, time the overview, assessment, outlet page and workbook
  gateway     public gateway: check-in throughput and latency against bare Fiber; an outlet draining a full inbox

Run 'go run ./bench <scenario> -h' for its flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	scenarios := map[string]func([]string) error{
		"checkin":   runCheckIn,
		"rollup":    runRollup,
		"page":      runPage,
		"footprint": runFootprint,
		"ingest":    runIngest,
		"queries":   runQueries,
		"gateway":   runGateway,
	}
	run, ok := scenarios[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "bench: unknown scenario %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	// The servers' own logs go through logCounter (see servers.go); the
	// harness itself only prints its tables.
	slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := run(os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// newFlags returns a flag set for one scenario with the common -json flag.
func newFlags(name string, jsonPath *string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.StringVar(jsonPath, "json", "", "also write the figures as JSON to this file")
	return fs
}

// machine describes where the figures were taken.
type machine struct {
	Date      string `json:"date"`
	CPUs      int    `json:"cpus"`
	CPU       string `json:"cpu"`
	MemoryMB  int    `json:"memory_mb"`
	Kernel    string `json:"kernel"`
	GoVersion string `json:"go"`
}

func thisMachine() machine {
	m := machine{Date: time.Now().Format(time.RFC3339), CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if kb := procField("/proc/meminfo", "MemTotal"); kb > 0 {
		m.MemoryMB = kb / 1024
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

func (m machine) String() string {
	return fmt.Sprintf("%s · %d CPUs (%s) · %d MB · Linux %s · %s",
		m.Date, m.CPUs, m.CPU, m.MemoryMB, m.Kernel, m.GoVersion)
}

// writeJSON writes v to path when path is not empty.
func writeJSON(path string, v any) error {
	if path == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
