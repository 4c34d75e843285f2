package app_test

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app"
	"harbor/app/apptest"
	"harbor/app/signing"
	"harbor/config"
)

// TestBranchMetrics: pushes are counted by answer, rejections by code,
// requests by route.
func TestBranchMetrics(t *testing.T) { apptest.ForEachBranchBackend(t, testBranchMetrics) }

func testBranchMetrics(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	b.MustPush(o, apptest.SampleReport("SY001", "2026-11-24", 2, 1))
	b.MustPush(o, apptest.SampleReport("SY001", "2026-11-24", 2, 1)) // duplicate: accepted
	b.MustPush(o, apptest.SampleReport("SY001", "2026-11-24", 1, 1)) // stale
	req := o.SignedPush([]byte(`{}`), b.Clock.Now())
	req.Header.Set(signing.SignatureHeader, "t=1,sig=forged")
	if resp, _ := b.Do(req); resp.StatusCode == http.StatusOK {
		t.Fatal("a forged push was accepted")
	}
	resp, body := b.Do(apptest.Request("GET", "/metrics", "", ""))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`harbor_branch_reports_total{outcome="accepted",role="branch"} 2`,
		`harbor_branch_reports_total{outcome="stale",role="branch"} 1`,
		`harbor_rejected_requests_total{reason="`,
		`harbor_http_request_duration_seconds_count{method="POST",role="branch",route="/api/v1/reports",status="2xx"} 3`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s\n%s", want, grepLines(body, "harbor_"))
		}
	}
}

// TestBranchServesTLSAndDrains serves the branch over HTTPS, and stops
// cleanly when its context ends (SIGTERM in production).
func TestBranchServesTLSAndDrains(t *testing.T) {
	cfg := apptest.BranchConfig(t)
	cfg.TLS = apptest.SelfSignedCert(t)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	b := apptest.NewBranch(t, cfg)
	ln, err := app.Listen("127.0.0.1:0", cfg.TLS, cfg.MaxConnsPerIP, cfg.TrustedProxies)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx, ln) }()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: 5 * time.Second}
	resp, err := client.Get("https://" + ln.Addr().String() + "/console/login")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var secure bool
	for _, c := range resp.Cookies() {
		secure = secure || (c.Name == "hb_login" && c.Secure && c.HttpOnly)
	}
	if resp.StatusCode != http.StatusOK || !secure || resp.Header.Get("Strict-Transport-Security") == "" {
		t.Fatalf("over TLS: %d, secure login cookie %v, HSTS %q", resp.StatusCode, secure, resp.Header.Get("Strict-Transport-Security"))
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("drain: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the branch did not stop")
	}
}
