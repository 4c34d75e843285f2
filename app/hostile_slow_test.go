package app_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"harbor/app"
	"harbor/app/apptest"
	"harbor/config"
	"harbor/handlers/web"
	"harbor/models"
)

// slowloris opens n connections to addr from the address from, each
// sending half a request's headers and then nothing, and closes them when
// the test ends.
func slowloris(t *testing.T, addr, from string, n int) []net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 5 * time.Second}
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("slow connection %d from %s: %v", len(conns)+1, from, err)
		}
		conns = append(conns, c)
		c.Write([]byte("POST /api/v1/checkins HTTP/1.1\r\nHost: harbor\r\nContent-Type: appl"))
	}
	return conns
}

// closedByServer reports whether the server closed c: a read ends with
// EOF or a reset (at once, when it did) rather than a timeout.
func closedByServer(c net.Conn) bool {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, err := c.Read(make([]byte, 1))
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

// serveLimited serves h on a loopback listener made by app.Listen with the
// default per-address cap and no trusted proxies.
func serveLimited(t *testing.T, h interface {
	Run(context.Context, net.Listener) error
}) string {
	t.Helper()
	ln, err := app.Listen("127.0.0.1:0", config.TLS{}, config.DefaultMaxConnsPerIP, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx, ln); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	return ln.Addr().String()
}

// TestSlowlorisFromOneAddress (issue 10, item 5): 4,200 slow connections
// from one address, the attack, leave the outlet's check-ins and
// staff console and the branch's health and console working for another
// address: every connection of that address past its 32 is closed at once.
func TestSlowlorisFromOneAddress(t *testing.T) {
	attacker := apptest.SecondLoopback(t)
	cfg := apptest.OutletConfig(t)
	cfg.TrustedProxies = nil
	o := apptest.NewOutlet(t, cfg)
	o.AddStaff("mgr", models.RoleManager, testPassword)
	outletAddr := serveLimited(t, o)

	bcfg := apptest.BranchConfig(t)
	bcfg.TrustedProxies = nil
	b := apptest.NewBranch(t, bcfg)
	b.AddUser("admin1", models.RoleAdmin, adminPassword)
	branchAddr := serveLimited(t, b)

	for _, addr := range []string{outletAddr, branchAddr} {
		conns := slowloris(t, addr, attacker, 4200)
		for i, c := range conns[config.DefaultMaxConnsPerIP:] {
			if !closedByServer(c) {
				t.Fatalf("%s: slow connection %d from one address was kept open", addr, config.DefaultMaxConnsPerIP+i+1)
			}
		}
	}
	base := "http://" + outletAddr
	for i := range 20 {
		req := bombOf(t, base, "/api/v1/checkins", "application/json",
			[]byte(`{"token":"`+o.Svc.PosterToken("")+`","amenities":["water"]}`))
		req.Header.Set("User-Agent", fmt.Sprintf("phone %d", i)) // one phone each: without a cookie, address and browser tell them apart
		refusedAs(t, req, http.StatusCreated, "")
		for _, health := range []string{base + "/healthz", "http://" + branchAddr + "/healthz"} {
			resp, err := http.Get(health)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("health probe %d of %s during the attack: %v", i+1, health, err)
			}
			resp.Body.Close()
		}
	}
	for _, c := range []console{{base, "/staff", "mgr", testPassword, nil}, {"http://" + branchAddr, "/console", "admin1", adminPassword, nil}} {
		if status := apptest.OpenLogin(t, c.base, c.path, "").Post(t, "", c.name, c.password); status != http.StatusSeeOther {
			t.Fatalf("%s login during the attack: %d", c.path, status)
		}
	}
}

// TestSlowlorisMemory (item 5): both roles as real processes with default
// settings stay under 64 MiB resident through the same attack (the branch
// grew from 31 to 334 MB before), keep answering health probes, and log
// the refused connections in one line.
func TestSlowlorisMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs harbor as real processes")
	}
	attacker := apptest.SecondLoopback(t)
	for _, role := range []string{"outlet", "branch"} {
		p := apptest.StartHarbor(t, role, "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0", "--log-format", "json")
		slowloris(t, p.Addr, attacker, 4200)
		for i := range 20 {
			resp, err := http.Get(p.URL() + "/healthz")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("%s: health probe %d during the attack: %v", role, i+1, err)
			}
			resp.Body.Close()
		}
		if rss := p.PeakRSS(); rss > 64<<20 {
			t.Fatalf("%s: peak RSS %d MiB during the attack, want at most 64", role, rss>>20)
		} else {
			t.Logf("%s: peak RSS %d MiB with 4,200 slow connections from one address", role, rss>>20)
		}
		// The operator learns of it, once, not once a connection.
		if n := strings.Count(p.Stderr(), "connections refused"); n != 1 || !strings.Contains(p.Stderr(), `"address":"`+attacker+`"`) {
			t.Fatalf("%s: %d log lines on refused connections, want one naming %s:\n%s", role, n, attacker, p.Stderr())
		}
	}
}

// TestSlowRequestTimes: a client gets web.HeaderTimeout for a request's
// headers — a connection still sending them then is answered 408, with a
// page that blames the network, and closed — and, once they are in, longer
// for its body: a phone on a slow network that sends its form over 11 s is
// answered.
func TestSlowRequestTimes(t *testing.T) {
	o := apptest.NewOutlet(t, apptest.OutletConfig(t))
	addr := serveLimited(t, o)
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	body := `{"token":"` + o.Svc.PosterToken("") + `","amenities":["water"]}`
	slowHeaders, slowBody := dial(), dial()
	start := time.Now()
	slowHeaders.Write([]byte("POST /api/v1/checkins HTTP/1.1\r\nHost: harbor\r\nContent-Type: appl"))
	fmt.Fprintf(slowBody, "POST /api/v1/checkins HTTP/1.1\r\nHost: harbor\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])

	slowHeaders.SetReadDeadline(start.Add(web.HeaderTimeout + 5*time.Second))
	answer, err := io.ReadAll(slowHeaders) // until the server closes it
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a connection still sending its headers is open after %s", time.Since(start).Round(time.Second))
	}
	if !strings.HasPrefix(string(answer), "HTTP/1.1 408 ") || !strings.Contains(string(answer), "网络太慢") {
		t.Errorf("a connection too slow with its headers was answered %.200q, want 408 and a page that says the network was too slow", answer)
	}
	if took := time.Since(start); took < web.HeaderTimeout-time.Second {
		t.Fatalf("a connection sending its headers was closed after %s, before the %s it has", took.Round(time.Millisecond), web.HeaderTimeout)
	}

	time.Sleep(time.Until(start.Add(web.HeaderTimeout + time.Second)))
	slowBody.Write([]byte(body[10:]))
	slowBody.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(slowBody), nil)
	if err != nil {
		t.Fatalf("a body sent over %s: %v", time.Since(start).Round(time.Second), err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("a body sent over %s: %d, want 201", time.Since(start).Round(time.Second), resp.StatusCode)
	}
}
