package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// footprintFigures is what the footprint scenario measured of the real
// binary, run as its own process.
type footprintFigures struct {
	Machine         machine        `json:"machine"`
	BinaryBytes     int64          `json:"binary_bytes"`
	StrippedBytes   int64          `json:"stripped_binary_bytes"` // -ldflags "-s -w"
	IdleRSSKB       int            `json:"idle_rss_kb"`           // 5 s after start, fresh database (Idle.RSSKB)
	Idle            idleFigures    `json:"idle"`                  // the binary as go build left it
	IdleInstalled   idleFigures    `json:"idle_installed"`        // a copy of it, as installed
	LoadPeakRSSKB   int            `json:"load_peak_rss_kb"`      // highest VmRSS sampled under load
	LoadHWMKB       int            `json:"load_hwm_kb"`           // VmHWM at the end of the load
	AfterLoadKB     int            `json:"after_load_rss_kb"`     // 10 s after the load
	Load            []phaseResult  `json:"load"`
	Starts          []startFigures `json:"starts"` // start to healthy on existing databases
	LockedInLog     int            `json:"database_locked_in_log"`
	ErrorLinesInLog int            `json:"error_lines_in_log"`
}

func runFootprint(args []string) error {
	var jsonPath, dbDir string
	fs := newFlags("footprint", &jsonPath)
	clients := fs.Int("clients", 64, "concurrent clients in the saturation part of the load")
	dur := fs.Duration("duration", 10*time.Second, "length of each part of the load (saturation, then 2,000/s)")
	starts := fs.Int("starts", 10, "starts to time on the existing database")
	idleRuns := fs.Int("idle-runs", 3, "starts to measure idle memory on, for each of the two copies of the binary")
	fs.StringVar(&dbDir, "start-data-dir", "", "also time the starts on this existing data folder (e.g. one kept by 'rollup -keep')")
	if err := fs.Parse(args); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "harbor-footprint-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	f := footprintFigures{Machine: thisMachine()}
	fmt.Println("machine:", f.Machine)
	bin := filepath.Join(work, "harbor")
	if f.BinaryBytes, err = buildHarbor(bin); err != nil {
		return err
	}
	if f.StrippedBytes, err = buildHarbor(filepath.Join(work, "harbor-stripped"), "-ldflags", "-s -w"); err != nil {
		return err
	}
	fmt.Printf("binary: %.1f MB, stripped (-s -w) %.1f MB\n", float64(f.BinaryBytes)/1e6, float64(f.StrippedBytes)/1e6)

	if f.Idle, err = idleRSS(bin, work, *idleRuns); err != nil {
		return err
	}
	f.IdleRSSKB = f.Idle.RSSKB
	installed := filepath.Join(work, "harbor-installed")
	if err := copyFile(bin, installed); err != nil {
		return err
	}
	if f.IdleInstalled, err = idleRSS(installed, work, *idleRuns); err != nil {
		return err
	}
	fmt.Printf("idle RSS, binary as built: %s (target ≤ 30 MB)\n", f.Idle)
	fmt.Printf("idle RSS, installed copy:  %s\n", f.IdleInstalled)

	data := filepath.Join(work, "data")
	p, err := startHarbor(bin, data, filepath.Join(work, "server.log"))
	if err != nil {
		return err
	}

	var peak atomic.Int64
	stopSampling := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopSampling:
				return
			case <-time.After(100 * time.Millisecond):
				if kb := int64(procField(p.status(), "VmRSS")); kb > peak.Load() {
					peak.Store(kb)
				}
			}
		}
	}()
	lc := newLoadClient(1024, p.token, p.amenities)
	url := p.base + "/api/v1/checkins"
	f.Load = append(f.Load, lc.saturate(url, *clients, *dur, nil).result("outlet process", "saturation", *clients, 0))
	f.Load = append(f.Load, lc.openLoop(url, 2000, *dur, nil).result("outlet process", "rate", 0, 2000))
	close(stopSampling)
	f.LoadPeakRSSKB, f.LoadHWMKB = int(peak.Load()), procField(p.status(), "VmHWM")
	time.Sleep(10 * time.Second)
	f.AfterLoadKB = procField(p.status(), "VmRSS")
	if err := p.stop(); err != nil {
		return err
	}
	f.LockedInLog, f.ErrorLinesInLog = countLog(p.log, "database is locked"), countLog(p.log, `"level":"ERROR"`)
	printPhases(os.Stdout, f.Load)
	fmt.Printf("RSS under load: peak %.1f MB sampled, VmHWM %.1f MB; 10 s after: %.1f MB (targets: idle ≤ 30 MB, load ≤ 100 MB)\n",
		float64(f.LoadPeakRSSKB)/1024, float64(f.LoadHWMKB)/1024, float64(f.AfterLoadKB)/1024)

	dirs := []string{data}
	if dbDir != "" {
		dirs = append(dirs, dbDir)
	}
	for _, d := range dirs {
		var st startFigures
		if st.Ms, st.CheckIns, err = timeStarts(bin, d, filepath.Join(work, "starts.log"), *starts); err != nil {
			return err
		}
		st.MedianMs = median(st.Ms)
		f.Starts = append(f.Starts, st)
		fmt.Printf("start to healthy on an existing database (%d check-ins): median %.1f ms of %d starts %v (target ≤ 300 ms)\n",
			st.CheckIns, st.MedianMs, len(st.Ms), st.Ms)
	}
	fmt.Printf("server log: %d error lines, %d \"database is locked\"\n", f.ErrorLinesInLog, f.LockedInLog)
	return writeJSON(jsonPath, f)
}

// idleFigures is the memory of an idle outlet process 5 s after start on a
// new database: medians of each field over several starts.
//
// File is the binary's own pages (and libc's) that are mapped. It depends
// on the page cache as much as on the program: a file written by the linker
// (through a shared mapping), or in one large write, sits in the page cache
// in large folios, which the kernel maps whole, so nearly all of .text,
// .rodata and .gopclntab count although most is never executed or read. A
// copy made as cp(1) or an installer makes it, or the binary read back
// from disk after its pages were dropped, is mapped a few pages at a time
// (fault-around) and counted about 6 MB less (Linux 6.18, ext4, 2026-11).
// The harness reports both; neither hides memory the process uses.
type idleFigures struct {
	RSSKB  int `json:"rss_kb"`
	AnonKB int `json:"anon_kb"`
	FileKB int `json:"file_kb"`
}

func (i idleFigures) String() string {
	return fmt.Sprintf("%.1f MB (anonymous %.1f MB, file-backed %.1f MB)",
		float64(i.RSSKB)/1024, float64(i.AnonKB)/1024, float64(i.FileKB)/1024)
}

// idleRSS starts bin runs times, each on a new data folder, and reads its
// memory 5 s after start.
func idleRSS(bin, work string, runs int) (idleFigures, error) {
	var rss, anon, file []float64
	for i := 0; i < max(runs, 1); i++ {
		data, err := os.MkdirTemp(work, "idle-")
		if err != nil {
			return idleFigures{}, err
		}
		p, err := startHarbor(bin, data, filepath.Join(work, "idle.log"))
		if err != nil {
			return idleFigures{}, err
		}
		time.Sleep(5 * time.Second)
		rss = append(rss, float64(procField(p.status(), "VmRSS")))
		anon = append(anon, float64(procField(p.status(), "RssAnon")))
		file = append(file, float64(procField(p.status(), "RssFile")))
		if err := p.stop(); err != nil {
			return idleFigures{}, err
		}
	}
	return idleFigures{RSSKB: int(median(rss)), AnonKB: int(median(anon)), FileKB: int(median(file))}, nil
}

// copyFile copies the executable src to dst the way cp(1) does (io.Copy
// uses copy_file_range), as installing it on an outlet's machine would.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// startFigures are the start-to-healthy times on one existing database.
type startFigures struct {
	CheckIns int       `json:"db_checkins"`
	Ms       []float64 `json:"ms"`
	MedianMs float64   `json:"median_ms"`
}

// timeStarts starts the binary n times on data and times each start until
// /healthz first answers 200.
func timeStarts(bin, data, logPath string, n int) ([]float64, int, error) {
	checkIns, err := countCheckIns(data)
	if err != nil {
		return nil, 0, err
	}
	var out []float64
	for i := 0; i < n; i++ {
		p, err := startHarbor(bin, data, logPath)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, float64(p.startup.Microseconds())/1000)
		if err := p.stop(); err != nil {
			return nil, 0, err
		}
	}
	return out, checkIns, nil
}

// procField reads a "Key:  123 kB" line of a /proc status-like file; 0 if absent.
func procField(path, key string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && k == key {
			n, _ := strconv.Atoi(strings.Fields(v)[0])
			return n
		}
	}
	return 0
}

// countLog counts the lines of the file at path that contain s.
func countLog(path, s string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	return strings.Count(string(b), s)
}

// buildHarbor builds the harbor command into out and returns its size.
func buildHarbor(out string, flags ...string) (int64, error) {
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return 0, err
	}
	args := append(append([]string{"build", "-o", out}, flags...), ".")
	cmd := exec.Command("go", args...)
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if b, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("go build: %v\n%s", err, b)
	}
	st, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}
