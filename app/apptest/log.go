package apptest

import (
	"io"
	"log/slog"
	"os"
)

// Tests run quiet: request logs only with HARBOR_TEST_LOG=1.
func init() {
	if os.Getenv("HARBOR_TEST_LOG") == "" {
		slog.SetDefault(slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
}
