package apptest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Process is harbor running as a real process under test: the tests that
// measure its memory or read its log start it with StartHarbor.
type Process struct {
	Cmd  *exec.Cmd
	Addr string // where it listens, as it printed
	// Banner is what it printed on standard output up to that line.
	Banner string
	tb     testing.TB

	mu     sync.Mutex
	stderr bytes.Buffer
	stop   sync.Once
}

// StartHarbor runs the harbor binary with args (e.g. "outlet", "--data-dir",
// D, "--addr", "127.0.0.1:0"), waits until it says where it listens, and
// stops it (SIGTERM) when the test ends. Tests that use it skip with -short.
func StartHarbor(tb testing.TB, args ...string) *Process {
	tb.Helper()
	p := &Process{Cmd: exec.Command(HarborBinary(tb), args...), tb: tb}
	out, err := p.Cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	p.Cmd.Stderr = writerFunc(func(b []byte) (int, error) {
		p.mu.Lock()
		defer p.mu.Unlock()
		return p.stderr.Write(b)
	})
	if err := p.Cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Stop)
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		p.Banner += sc.Text() + "\n"
		if _, after, ok := strings.Cut(sc.Text(), " listening on "); ok {
			p.Addr = after
			go io.Copy(io.Discard, out)
			return p
		}
	}
	tb.Fatalf("harbor %s never said where it listens:\n%s", args[0], p.Stderr())
	return nil
}

// Stop ends the process with SIGTERM (SIGKILL if it is still there after
// 20 s) and waits for it; stopping again does nothing.
func (p *Process) Stop() {
	p.stop.Do(func() {
		p.Cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { p.Cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			p.Cmd.Process.Kill()
			<-done
		}
	})
}

// URL is the process's base URL.
func (p *Process) URL() string { return "http://" + p.Addr }

// Stderr is what the process wrote to its standard error (its log) so
// far; all of it once Stop has returned.
func (p *Process) Stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// PeakRSS is the most memory the process has held resident so far
// (VmHWM), in bytes. It skips the test where /proc is missing.
func (p *Process) PeakRSS() int64 {
	p.tb.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(p.Cmd.Process.Pid) + "/status")
	if err != nil {
		p.tb.Skipf("no /proc to read the process's memory from: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				p.tb.Fatalf("VmHWM %q: %v", v, err)
			}
			return kb << 10
		}
	}
	p.tb.Fatal("no VmHWM in /proc/PID/status")
	return 0
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// SecondLoopback returns 127.0.0.2, a second client address on this
// machine (Linux routes all of 127/8 without setup), for tests where
// clients must differ at the TCP level. Where it cannot be used the test
// is skipped, except in CI (CI set), where it fails.
func SecondLoopback(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("127.0.0.2 is required in CI: %v", err)
		}
		tb.Skipf("no second loopback address 127.0.0.2 here: %v", err)
	}
	ln.Close()
	return "127.0.0.2"
}
