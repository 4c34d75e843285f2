package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"harbor/app/db"
	"harbor/app/outlet"
)

// harborProc is the harbor binary serving an outlet as a child process.
type harborProc struct {
	cmd       *exec.Cmd
	base      string        // http://127.0.0.1:PORT
	startup   time.Duration // from exec to the first healthy /healthz
	token     string        // the station poster's token
	amenities []string
	log       string // the process's stderr
}

// startHarbor runs 'harbor outlet' on data and waits until it is healthy.
func startHarbor(bin, data, logPath string) (*harborProc, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	p := &harborProc{base: "http://" + addr, log: logPath}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	p.cmd = exec.Command(bin, "outlet", "--addr", addr, "--data-dir", data, "--rate-limit", "100000", "--max-conns-per-ip", "100000",
		"--log-format", "json", "--base-url", p.base)
	p.cmd.Stderr = logFile
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	tokens := make(chan string, 1)
	start := time.Now()
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go scanStationToken(stdout, tokens)
	deadline := start.Add(30 * time.Second)
	for !healthy(p.base + "/healthz") {
		if time.Now().After(deadline) {
			p.cmd.Process.Kill()
			return nil, fmt.Errorf("harbor did not become healthy; see %s", logPath)
		}
		time.Sleep(time.Millisecond)
	}
	p.startup = time.Since(start)
	select {
	case p.token = <-tokens:
	case <-time.After(5 * time.Second):
		return p, fmt.Errorf("harbor printed no station URL")
	}
	return p, p.loadAmenities()
}

// scanStationToken reads the start-up banner for the station URL's token.
func scanStationToken(r interface{ Read([]byte) (int, error) }, tokens chan<- string) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if _, u, ok := strings.Cut(sc.Text(), "station page (print as QR):"); ok {
			if parsed, err := url.Parse(strings.TrimSpace(u)); err == nil {
				tokens <- parsed.Query().Get("t")
			}
		}
	}
}

func (p *harborProc) loadAmenities() error {
	resp, err := http.Get(p.base + "/api/v1/outlet")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var prof struct {
		Amenities []struct{ Code string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&prof); err != nil {
		return err
	}
	for _, a := range prof.Amenities {
		p.amenities = append(p.amenities, a.Code)
	}
	return nil
}

// status is the process's /proc status file.
func (p *harborProc) status() string { return fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid) }

// stop asks the process to shut down (SIGTERM) and waits for it.
func (p *harborProc) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		return fmt.Errorf("harbor did not stop within 30 s of SIGTERM")
	}
}

// countCheckIns counts the check-ins stored in the outlet database in data.
func countCheckIns(data string) (int, error) {
	d, err := db.OpenSQLite(filepath.Join(data, outlet.DBFile))
	if err != nil {
		return 0, err
	}
	defer d.Close()
	var n int
	err = d.Read.WithContext(context.Background()).Raw(`SELECT COUNT(*) FROM checkins`).Scan(&n).Error
	return n, err
}
