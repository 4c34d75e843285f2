package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"harbor/app"
	"harbor/app/branch"
	"harbor/config"
)

const branchUsage = `harbor branch — serve the branch office: outlets enroll here and push
their signed daily reports.

Usage:
  harbor branch [flags]                                        serve (default :8090)
  harbor branch outlet add CODE --name NAME [--group G] [--ttl 24h]
  harbor branch outlet code CODE [--ttl 24h]                   issue a new enrollment code
  harbor branch outlet list [--json]
  harbor branch outlet revoke CODE
  harbor branch summary --day YYYY-MM-DD                       the day's figures as JSON
  harbor branch user add NAME --role viewer|admin              console account (also list, disable, enable, passwd)
  harbor branch export --month 2026-11 --out FILE.xlsx         assessment report (--quarter 2026Q4; --csv)
  harbor branch bulletin --month 2026-11 [--out FILE.xlsx|.json] scores, ranks, incentives (--quarter 2026Q4)
  harbor branch backup FILE                                    consistent copy of a SQLite branch database
  harbor branch gateway-key                                    the public key a gateway's --branch-key takes

The database is SQLite in --data-dir unless --db postgres://USER@HOST/DB
(or HARBOR_DB) names a PostgreSQL database; every command takes the same --db.

Run 'harbor branch outlet add --help' (and so on) for each command's flags.`

func runBranch(ctx context.Context, args []string, env Env) error {
	if len(args) > 0 {
		switch args[0] {
		case "outlet":
			return runBranchOutlet(ctx, args[1:], env)
		case "summary":
			return branchSummary(ctx, args[1:], env)
		case "user":
			return branchUser(ctx, args[1:], env)
		case "export":
			return branchExport(ctx, args[1:], env)
		case "bulletin":
			return branchBulletin(ctx, args[1:], env)
		case "backup":
			return branchBackup(ctx, args[1:], env)
		case "gateway-key":
			return branchGatewayKey(args[1:], env)
		case "serve":
			args = args[1:]
		}
	}
	var cfg config.Branch
	fs := config.NewFlagSet("branch", branchUsage, env.Stderr)
	config.BranchFlags(fs, &cfg)
	if _, err := parseFlags(fs, args, env); err != nil {
		return err
	}
	baseGiven := cfg.BaseURL != ""
	if err := cfg.Validate(); err != nil {
		return err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	b, err := app.NewBranch(ctx, cfg, nil)
	if err != nil {
		return err
	}
	defer b.Close()
	ln, err := app.Listen(cfg.Addr, cfg.TLS, cfg.MaxConnsPerIP, cfg.TrustedProxies)
	if err != nil {
		return err
	}
	if !baseGiven {
		cfg.BaseURL = config.DeriveBaseURL(ln.Addr().String())
		if cfg.TLS.Enabled() {
			cfg.BaseURL = "https" + strings.TrimPrefix(cfg.BaseURL, "http")
		}
	}
	if cfg.DBDriver == config.DriverSQLite {
		app.WarnIfExposed(env.Stdout, filepath.Dir(cfg.DBPath))
	}
	if err := printBranchURLs(ctx, env, b.Svc, cfg, ln.Addr().String()); err != nil {
		ln.Close()
		return err
	}
	slog.Info("branch serving", "addr", ln.Addr().String(), "db", cfg.DBLabel(), "tls", cfg.TLS.Enabled())
	return b.Run(ctx, ln)
}

// printBranchURLs tells the operator where the branch listens and what to do next.
func printBranchURLs(ctx context.Context, env Env, svc *branch.Service, cfg config.Branch, addr string) error {
	outlets, err := svc.ListOutlets(ctx)
	if err != nil {
		return err
	}
	enrolled := 0
	for _, o := range outlets {
		if o.Enrolled {
			enrolled++
		}
	}
	fmt.Fprintf(env.Stdout, "harbor branch listening on %s\n", addr)
	fmt.Fprintf(env.Stdout, "  reports (outlets push here): %s/api/v1/reports\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  enrollment:                  %s/api/v1/enroll\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  console (intranet):          %s/console/\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  outlet directory (public):   %s/directory\n", cfg.BaseURL)
	fmt.Fprintf(env.Stdout, "  health:                      %s/healthz\n", cfg.BaseURL)
	key, err := svc.GatewayPublicKey()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "  gateway key (--branch-key):  %s\n", key)
	fmt.Fprintf(env.Stdout, "  database:                    %s\n", cfg.DBLabel())
	fmt.Fprintf(env.Stdout, "  outlets:                     %d registered, %d enrolled\n", len(outlets), enrolled)
	if len(outlets) == 0 {
		where := "--data-dir " + cfg.DataDir
		if cfg.DBDriver == config.DriverPostgres {
			where = "and the same --db"
		}
		fmt.Fprintf(env.Stdout, "Register the first outlet with: harbor branch outlet add CODE --name NAME %s\n", where)
	}
	return nil
}

const gatewayKeyUsage = `harbor branch gateway-key — print the public half of the key this branch
signs its outlets' gateway credentials with (made in --gateway-key on first
use). Give it to the public gateway: harbor gateway --branch-key KEY.

Usage: harbor branch gateway-key [--data-dir D | --gateway-key FILE]`

func branchGatewayKey(args []string, env Env) error {
	cfg, _, err := parseBranchCommand("branch gateway-key", gatewayKeyUsage, args, env, nil, nil)
	if err != nil {
		return err
	}
	k, err := branch.LoadGatewayKey(cfg.GatewayKey)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, branch.PublicKeyText(k))
	return nil
}

// parseBranchCommand parses the branch flags plus extra ones, checks that
// exactly the positional arguments named in want were given (see
// parseFlags), and validates the config; it returns those arguments.
func parseBranchCommand(name, synopsis string, args []string, env Env, want []string,
	extra func(*flag.FlagSet)) (config.Branch, []string, error) {
	var cfg config.Branch
	fs := config.NewFlagSet(name, synopsis, env.Stderr)
	config.BranchFlags(fs, &cfg)
	if extra != nil {
		extra(fs)
	}
	pos, err := parseFlags(fs, args, env, want...)
	if err != nil {
		return cfg, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	return cfg, pos, nil
}

// openBranch opens the branch's services for a command. Unless create is
// set, a SQLite database must already exist; a PostgreSQL one is created
// (migrated) on first use.
func openBranch(ctx context.Context, cfg config.Branch, create bool) (*branch.Service, error) {
	if cfg.DBDriver != config.DriverSQLite {
		return branch.Open(ctx, cfg, nil)
	}
	if _, err := os.Stat(cfg.DBPath); !create && err != nil {
		return nil, fmt.Errorf("no branch database at %s (%w): register an outlet or start 'harbor branch' first, or pass --data-dir",
			cfg.DBPath, errors.Unwrap(err))
	}
	return branch.Open(ctx, cfg, nil)
}
