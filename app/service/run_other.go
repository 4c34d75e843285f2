//go:build !windows

package service

import "context"

// Run runs serve: outside Windows no service manager talks to the process
// (systemd sends SIGTERM, which cancels ctx).
func Run(ctx context.Context, name string, serve func(context.Context) error) error {
	return serve(ctx)
}
