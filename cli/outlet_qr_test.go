package cli

import (
	"context"
	"strings"
	"testing"

	"harbor/app/outlet"
	"harbor/config"
)

// TestQRPrintsThePublicURL: with --public-url, 'harbor outlet qr' prints
// the gateway's URL (phones on any network), and --local this server's.
func TestQRPrintsThePublicURL(t *testing.T) {
	dir := t.TempDir()
	gw := []string{"--public-url", "https://harbor.example.cn/", "--gateway-url", "https://harbor.example.cn:8444"}
	if code, _, errOut := harbor(t, "outlet", "qr", "--data-dir", dir, "--public-url", "https://x.example"); code != 1 ||
		!strings.Contains(errOut, "--public-url and --gateway-url go together") {
		t.Fatalf("--public-url alone: %d %s", code, errOut)
	}
	cfg := config.OutletDefaults() // the outlet's first start records its code and base URL
	cfg.DataDir, cfg.Code, cfg.BaseURL, cfg.Serving = dir, "SY001", "http://10.20.1.5:8080", true
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	svc, err := outlet.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
	code, out, errOut := harbor(t, append([]string{"outlet", "qr", "--data-dir", dir}, gw...)...)
	if code != 0 || !strings.HasPrefix(out, "https://harbor.example.cn/k/SY001?t=p1.") {
		t.Fatalf("qr: %d %q %s", code, out, errOut)
	}
	code, out, _ = harbor(t, append([]string{"outlet", "qr", "--data-dir", dir, "--local", "--amenity", "water"}, gw...)...)
	if code != 0 || !strings.HasPrefix(out, "http://10.20.1.5:8080/k/SY001/water?t=p1.") {
		t.Fatalf("qr --local: %d %q", code, out)
	}
}
