package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"harbor/app"
	"harbor/app/gateway"
	"harbor/config"
)

const gatewayUsage = `harbor gateway — serve the public gateway (docs/GATEWAY.md): the worker
pages of every outlet its branches enrolled, on one public HTTPS origin, for
phones on any network. It keeps each scan durably in the outlet's inbox, and
the outlets pull their inbox over signed requests (outbound only). It holds
no console, no outlet database and no branch secret: --branch-key is the
public half of the key the branch vouches for its outlets with ('harbor
branch gateway-key').

Usage:
  harbor gateway --branch-key KEY [flags]   serve (public :8070, pulls :8071, admin 127.0.0.1:8072)
  harbor gateway outlets [flags]            the outlets that pull, and what waits for them`

func runGateway(ctx context.Context, args []string, env Env) error {
	if len(args) > 0 && args[0] == "outlets" {
		return gatewayOutlets(ctx, args[1:], env)
	}
	var cfg config.Gateway
	fs := config.NewFlagSet("gateway", gatewayUsage, env.Stderr)
	config.GatewayFlags(fs, &cfg)
	pos, err := parseFlags(fs, args, env)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(env.Stderr, "harbor gateway: unknown command %q\n\n%s\n", pos[0], gatewayUsage)
		return errUsage
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	g, err := app.NewGateway(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer g.Close()
	l, err := app.ListenGateway(cfg)
	if err != nil {
		return err
	}
	app.WarnIfExposed(env.Stdout, cfg.DataDir)
	fmt.Fprintf(env.Stdout, "harbor gateway %s listening on %s\n", g.Svc.ID(), l.Public.Addr())
	fmt.Fprintf(env.Stdout, "  worker pages (public):  %s/k/{outlet}\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  directory (public):     %s/directory\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  pulls (outlets' --gateway-url): %s\n", l.Pulls.Addr())
	fmt.Fprintf(env.Stdout, "  health and metrics:     http://%s/healthz, /metrics\n", l.Admin.Addr())
	fmt.Fprintf(env.Stdout, "  trusted branches:       %d\n", len(cfg.BranchKeys))
	slog.Info("gateway serving", "public", l.Public.Addr().String(), "pulls", l.Pulls.Addr().String(),
		"admin", l.Admin.Addr().String(), "id", g.Svc.ID())
	debug.FreeOSMemory()
	return g.Run(ctx, l)
}

const gatewayOutletsUsage = `harbor gateway outlets — list the outlets that pull from this gateway:
whether their pages are served, when they last pulled, and how many scans
wait for them.

Usage: harbor gateway outlets [--data-dir D] [--json]`

func gatewayOutlets(ctx context.Context, args []string, env Env) error {
	var cfg config.Gateway
	var asJSON bool
	fs := config.NewFlagSet("gateway outlets", gatewayOutletsUsage, env.Stderr)
	config.GatewayFlags(fs, &cfg)
	fs.BoolVar(&asJSON, "json", false, "print JSON")
	if _, err := parseFlags(fs, args, env); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	if _, err := os.Stat(filepath.Join(cfg.DataDir, config.GatewayDBFile)); err != nil {
		return fmt.Errorf("no gateway database in %s (%w): start 'harbor gateway' first, or pass --data-dir", cfg.DataDir, errors.Unwrap(err))
	}
	svc, err := gateway.Open(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer svc.Close()
	outlets, err := svc.Outlets(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(env, outlets)
	}
	fmt.Fprintf(env.Stdout, "%-12s %-8s %-8s %-20s %-20s %s\n", "outlet", "serving", "waiting", "last pull (UTC)", "credential until", "name")
	for _, o := range outlets {
		fmt.Fprintf(env.Stdout, "%-12s %-8t %-8d %-20s %-20s %s\n", o.Code, o.Serving, o.Pending,
			o.LastPull.Format("2006-01-02 15:04"), o.CredentialExpires.Format("2006-01-02 15:04"), o.Name)
	}
	return nil
}
