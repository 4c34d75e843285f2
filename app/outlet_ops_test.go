package app_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"harbor/app"
	"harbor/app/apptest"
	"harbor/cli"
)

func TestMetrics(t *testing.T) {
	o := newOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.1")
	submitStation(t, c, o, url.Values{"a": {"water"}})
	c.Get("/k/" + o.Svc.Profile().Code + "?t=p1.forged")
	resp, body := c.Get("/metrics")
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`harbor_checkins_total{channel="poster",role="outlet"} 1`,
		`harbor_rejected_requests_total{reason="bad_token",role="outlet"} 1`,
		`harbor_http_request_duration_seconds_bucket{method="POST",role="outlet",route="/k/:outlet",status="3xx"`,
		`harbor_reporter_pending_reports`,
		`harbor_reporter_last_success_timestamp_seconds 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s\n%s", want, grepLines(body, "duration_seconds_count"))
		}
	}
	for _, secret := range []string{o.Svc.PosterToken(""), c.Cookies["hv"]} {
		if strings.Contains(body, secret) {
			t.Fatal("metrics leak a token or visitor id")
		}
	}
}

func grepLines(text, sub string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestBackupWhileServingAndRestore copies the database under check-in load,
// restores the copy into a new data folder and serves from it.
func TestBackupWhileServingAndRestore(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader, cfg.RatePerMin = "X-Forwarded-For", 100000
	o := apptest.NewOutlet(t, cfg)
	stop := make(chan struct{})
	type load struct {
		acknowledged int
		err          error
	}
	done := make(chan load, 1)
	go func() { // reports back to the test's goroutine, which alone may fail the test
		body := `{"token":"` + o.Svc.PosterToken("") + `","amenities":["water"]}`
		for i, n := 0, 0; ; i++ {
			select {
			case <-stop:
				done <- load{acknowledged: n}
				return
			default:
			}
			req := apptest.Request("POST", "/api/v1/checkins", "application/json", body)
			req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.2.%d.%d", i/250, i%250))
			resp, err := o.HTTP.Test(req, -1)
			if err != nil {
				done <- load{err: err}
				return
			}
			resp.Body.Close()
			if resp.StatusCode == 201 {
				n++
			}
		}
	}()
	apptest.WaitFor(t, "20 check-ins stored under load", func() bool { return countRows(t, o, "checkins") >= 20 })
	dest := filepath.Join(t.TempDir(), "backup.db")
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), []string{"outlet", "backup", dest, "--data-dir", cfg.DataDir},
		cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	close(stop)
	l := <-done
	if l.err != nil {
		t.Fatalf("check-in under load: %v", l.err)
	}
	acknowledged := l.acknowledged
	if code != 0 {
		t.Fatalf("backup exit %d: %s", code, errOut.String())
	}
	if code := cli.Main(context.Background(), []string{"outlet", "backup", dest, "--data-dir", cfg.DataDir},
		cli.Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}); code == 0 {
		t.Fatal("a backup must not overwrite an existing file")
	}

	restored := apptest.OutletConfig(t)
	b, err := os.ReadFile(dest)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(restored.DataDir, "outlet.db"), b, 0o600)
	r := apptest.NewOutlet(t, restored)
	var check string
	r.Svc.DB().Read.Raw("PRAGMA integrity_check").Scan(&check)
	inBackup, live := countRows(t, r, "checkins"), countRows(t, o, "checkins")
	if check != "ok" || inBackup < 20 || inBackup > live || live != acknowledged {
		t.Fatalf("integrity %q; backup holds %d check-ins, live %d, acknowledged %d", check, inBackup, live, acknowledged)
	}
	if r.Svc.Profile().Code != o.Svc.Profile().Code || r.Svc.PosterToken("") != o.Svc.PosterToken("") {
		t.Fatal("the restored outlet must keep its code and secrets: printed posters stay valid")
	}
	if rep := report(t, r, "2026-11-25"); rep.Totals.CheckIns != inBackup {
		t.Fatalf("restored report counts %d, rows %d", rep.Totals.CheckIns, inBackup)
	}
}

// TestServesTLS serves the outlet over HTTPS with a self-signed certificate:
// HSTS is sent and the visitor cookie is Secure.
func TestServesTLS(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.TLS = apptest.SelfSignedCert(t)
	o := apptest.NewOutlet(t, cfg)
	ln, err := app.Listen("127.0.0.1:0", cfg.TLS, cfg.MaxConnsPerIP, cfg.TrustedProxies)
	if err != nil {
		t.Fatal(err)
	}
	go o.HTTP.Listener(ln)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	u, _ := url.Parse(o.Svc.StationURL("", o.Svc.PosterToken("")))
	resp, err := client.Get("https://" + ln.Addr().String() + u.RequestURI())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("status %d, HSTS %q", resp.StatusCode, resp.Header.Get("Strict-Transport-Security"))
	}
	if c := resp.Cookies(); len(c) != 1 || !c[0].Secure || !c[0].HttpOnly {
		t.Fatalf("visitor cookie over TLS: %+v", c)
	}
}

// TestUntrustedProxyHeaderIsIgnored: a client that is not a trusted proxy
// cannot dodge the rate limit by claiming other addresses.
func TestUntrustedProxyHeaderIsIgnored(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader, cfg.TrustedProxies, cfg.RatePerMin = "X-Forwarded-For", []string{"10.255.0.1"}, 2
	o := apptest.NewOutlet(t, cfg)
	form := url.Values{"t": {o.Svc.PosterToken("")}, "a": {"water"}}
	var last int
	for i := 0; i < 3; i++ {
		resp, _ := apptest.NewClient(t, o.HTTP, fmt.Sprintf("10.3.0.%d", i)).PostForm("/k/"+o.Svc.Profile().Code, form)
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("spoofed X-Forwarded-For escaped the rate limit: %d", last)
	}
}

// TestLogsHoldNoSecrets: request logs carry a request id and no QR token,
// visitor id, password or display key.
func TestLogsHoldNoSecrets(t *testing.T) {
	buf := captureLog(t)
	o := staffOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.1")
	submitStation(t, c, o, url.Values{"a": {"water"}})
	key, _ := o.Svc.DisplayKey(context.Background())
	c.Get("/display?key=" + key)
	c.Get("/k/" + o.Svc.Profile().Code + "?t=p9.forgedforgedforged")
	staff := apptest.NewClient(t, o.HTTP, "10.0.0.2")
	_, body := staff.Get("/staff/login")
	staff.PostForm("/staff/login", url.Values{"_csrf": {apptest.CSRFToken(body)}, "name": {"clerk"}, "password": {"wrong password 99"}})
	apptest.StaffLogin(t, staff, "clerk", testPassword)

	logs := buf.String()
	if !strings.Contains(logs, `"request_id"`) || !strings.Contains(logs, `"path":"/k/`) {
		t.Fatalf("request lines missing:\n%s", logs)
	}
	for _, secret := range []string{o.Svc.PosterToken(""), c.Cookies["hv"], key, testPassword, "wrong password 99",
		"forgedforged", staff.Cookies["hs"]} {
		if secret != "" && strings.Contains(logs, secret) {
			t.Fatalf("logs contain a secret %q", secret)
		}
	}
}

// TestOversizedHeadersRefused: 20 KB of headers are refused over a real
// connection (fasthttp answers 413 when they overflow the 16 KB read
// buffer), and the server goes on serving.
func TestOversizedHeadersRefused(t *testing.T) {
	o := newOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Padding", strings.Repeat("a", 20<<10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge && resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("20 KB of headers: %d, want 413 or 431", resp.StatusCode)
	}
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("after: %v", err)
	}
}
