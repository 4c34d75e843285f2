package apptest

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"io"
	"net/http"
	"testing"

	"harbor/app"
	"harbor/config"
)

// GatewayConfig returns a validated gateway config on a temp folder that
// believes the credentials branchKey signs (the branch's
// GatewayPublicKey).
func GatewayConfig(tb testing.TB, branchKey string) config.Gateway {
	tb.Helper()
	cfg := config.GatewayDefaults()
	cfg.DataDir = tb.TempDir()
	cfg.BaseURL = "https://gateway.test"
	cfg.LogFormat = "text"
	cfg.TrustedProxies = []string{"0.0.0.0", "127.0.0.1"} // as for outlets: lets a test client claim its IP
	k, err := base64.StdEncoding.DecodeString(branchKey)
	if err != nil {
		tb.Fatal(err)
	}
	cfg.BranchKeys = []ed25519.PublicKey{k}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// Gateway is a public gateway under test. Its pull app serves on
// loopback at PullURL, for outlets to pull from; tests reach its public
// app through Do or a Client.
type Gateway struct {
	*app.Gateway
	Clock   *Clock
	PullURL string
	tb      testing.TB
}

// NewGatewayAt starts a gateway on cfg whose clock is clock, closed when
// the test ends.
func NewGatewayAt(tb testing.TB, cfg config.Gateway, clock *Clock) *Gateway {
	tb.Helper()
	g, err := app.NewGateway(context.Background(), cfg, clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { g.Close() })
	return &Gateway{Gateway: g, Clock: clock, PullURL: ServeHTTP(tb, g.Pulls), tb: tb}
}

// Do sends req through the public app and returns the response with its
// body read.
func (g *Gateway) Do(req *http.Request) (*http.Response, string) {
	g.tb.Helper()
	resp, err := g.Public.Test(req, -1)
	if err != nil {
		g.tb.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}
