package cli

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/config"
)

// TestOutletCheckExitStatus: on an outlet that serves at its base URL, is
// enrolled with a branch that answers, keeps time with it and has printed
// its posters, every line of 'harbor outlet check' passes and it exits 0;
// replacing the posters makes it exit 1 with the posters line saying why.
func TestOutletCheckExitStatus(t *testing.T) {
	u, _ := url.Parse(config.DeriveBaseURL(":0"))
	if u.Hostname() == "localhost" {
		t.Skip("this machine has no non-loopback IPv4 address for a base URL phones could reach")
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(u.Hostname(), "0"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := apptest.OutletConfig(t)
	cfg.BaseURL = "http://" + ln.Addr().String()
	o := apptest.NewOutletAt(t, cfg, apptest.RealClock())
	go o.HTTP.Listener(ln)
	t.Cleanup(func() { o.HTTP.ShutdownWithTimeout(5 * time.Second) })
	b := apptest.NewBranchAt(t, apptest.BranchConfig(t), apptest.RealClock())
	branchURL := apptest.ServeHTTP(t, b.HTTP)
	ec, err := b.Svc.AddOutlet(context.Background(), "SY001", "十堰营业部", "城区", 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := o.Svc.Enroll(ctx, branchURL, ec.Code, http.DefaultClient); err != nil {
		t.Fatal(err)
	}
	if err := o.Svc.RecordPostersPrinted(ctx); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := harbor(t, "outlet", "check", "--data-dir", cfg.DataDir, "--base-url", cfg.BaseURL, "--log-format", "text")
	if strings.Contains(out, "FAIL  磁盘空间") {
		t.Skipf("this machine's disk is nearly full:\n%s", out)
	}
	if code != 0 || strings.Contains(out, "FAIL") || !strings.Contains(out, "9 checks: 8 passed, 0 failed, 1 skipped") {
		t.Fatalf("exit %d:\n%s%s", code, out, errOut)
	}
	if _, err := o.Svc.ReplacePosters(ctx); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = harbor(t, "outlet", "check", "--data-dir", cfg.DataDir, "--base-url", cfg.BaseURL, "--log-format", "text")
	if code != 1 || !strings.Contains(out, "✗ 未通过 FAIL  海报 Posters: 已打印第 1 版，当前为第 2 版") ||
		!strings.Contains(errOut, "1 of 9 checks failed") {
		t.Fatalf("exit %d after replacing the posters:\n%s%s", code, out, errOut)
	}
}
