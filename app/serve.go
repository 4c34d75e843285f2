package app

import (
	"context"
	"errors"
	"net"
	"time"

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
