package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"harbor/config"

	"github.com/gofiber/fiber/v2"
)

// Serve serves h on ln until ctx is cancelled, then lets in-flight requests
// finish (up to drain) before returning.
func Serve(ctx context.Context, h *fiber.App, ln net.Listener, drain time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- h.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if err := h.ShutdownWithTimeout(drain); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// Listen opens addr, serving TLS when t names a certificate and key. At
// most maxPerIP connections of one client address are open at once (see
// perAddressListener; 0: any number); trusted proxies are exempt.
func Listen(addr string, t config.TLS, maxPerIP int, trustedProxies []string) (net.Listener, error) {
	var tlsCfg *tls.Config
	if t.Enabled() {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("load --tls-cert/--tls-key: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if maxPerIP > 0 {
		ln = limitPerAddress(ln, maxPerIP, config.Prefixes(trustedProxies))
	}
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	return ln, nil
}
