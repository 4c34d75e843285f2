// Package cli is harbor's command line: it parses arguments into config
// structs and calls the app package. main only calls Main.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"harbor/config"
)

// Env is what a command sees of the world; tests pass their own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

const usage = `harbor — the software behind the Workers' Harbor (劳动者港湾) rest stations.

Usage:
  harbor outlet [flags]                 serve one outlet: kiosk pages, staff console, API (default :8080)
  harbor outlet --change-settings ...   serve, replacing the recorded outlet code, time zone or base URL
  harbor outlet qr [flags]              print the signed station (or --amenity) URL; --png writes the QR code
  harbor outlet report --day DAY        print a day's report document as JSON
  harbor outlet user add NAME --role manager|staff   staff console account (also list, disable, enable, passwd)
  harbor outlet enroll --branch URL --code CODE   join the branch: key pair, one-time code
  harbor outlet push [--day DAY]        send pending reports to the branch now
  harbor outlet backup FILE             consistent copy of the outlet database while it serves
  harbor branch [flags]                 serve the branch: outlets enroll and push reports here (default :8090)
  harbor branch outlet add CODE --name NAME [--group G] [--ttl 24h]   register an outlet; prints its one-time enrollment code
  harbor branch outlet code CODE        issue a new enrollment code for a registered outlet
  harbor branch outlet list             every outlet with its last contact and last report
  harbor branch outlet revoke CODE      stop accepting an outlet's reports
  harbor branch summary --day DAY       print a day's figures across outlets as JSON
  harbor branch user add NAME --role viewer|admin   branch console account (also list, disable, enable, passwd)
  harbor branch export --month 2026-11 --out FILE.xlsx   assessment report (--quarter 2026Q4, --csv)
  harbor branch bulletin --month 2026-11 [--out FILE.xlsx|.json]   bulletin: scores, ranks, incentives (--quarter)
  harbor branch backup FILE             consistent copy of the branch's SQLite database (PostgreSQL: pg_dump)
  harbor branch gateway-key             the public key a gateway's --branch-key takes
  harbor gateway [flags]                serve the public gateway: every outlet's worker pages; outlets pull (default :8070)
  harbor gateway outlets                the outlets that pull from this gateway, with what waits for them
  harbor demo [--dir D] [--port 8090]   a branch and three outlets with a simulated day, in one process
  harbor outlet check                   self-check: data folder, database, base URL, branch, clock, posters, reports
  harbor service install|uninstall|start|stop|status [--role outlet|branch]   run as a Windows service or systemd unit
  harbor version                        print the version, commit, build date, Go version and target

Every flag can also be set by an environment variable: --data-dir is HARBOR_DATA_DIR.
Run 'harbor outlet --help' or 'harbor outlet qr --help' for the flags of each command.
`

// Main runs the command in args (without the program name) and returns the
// process exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	err := run(ctx, args, env)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(env.Stderr, "harbor:", err)
	return 1
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	case "version", "--version":
		return runVersion(args[1:], env)
	case "outlet":
		return runOutlet(ctx, args[1:], env)
	case "branch":
		return runBranch(ctx, args[1:], env)
	case "gateway":
		return runGateway(ctx, args[1:], env)
	case "demo":
		return runDemo(ctx, args[1:], env)
	case "service":
		return runService(ctx, args[1:], env)
	}
	fmt.Fprintf(env.Stderr, "harbor: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// parseFlags parses args into fs, reporting bad usage the way flag does,
// and checks that exactly the positional arguments named in want (e.g.
// "FILE") were given: an unknown argument is refused, never ignored.
func parseFlags(fs *flag.FlagSet, args []string, env Env, want ...string) ([]string, error) {
	pos, err := config.Parse(fs, args, env.Getenv)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		if _, ok := errors.AsType[*config.UsageError](err); ok {
			return nil, errUsage // flag already printed the problem and usage
		}
		return nil, err
	}
	switch {
	case len(pos) > len(want):
		fmt.Fprintf(env.Stderr, "harbor %s: unexpected argument %q (see 'harbor %s --help')\n", fs.Name(), pos[len(want)], fs.Name())
		return nil, errUsage
	case len(pos) < len(want):
		fmt.Fprintf(env.Stderr, "harbor %s: missing %s (see 'harbor %s --help')\n", fs.Name(), strings.Join(want[len(pos):], " "), fs.Name())
		return nil, errUsage
	}
	return pos, nil
}

// setupLogging installs the default slog logger: JSON unless stderr is a
// terminal (or the format is forced).
func setupLogging(format string, w io.Writer) {
	if format == "auto" {
		format = "json"
		if f, ok := w.(*os.File); ok {
			if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
				format = "text"
			}
		}
	}
	var h slog.Handler = slog.NewJSONHandler(w, nil)
	if format == "text" {
		h = slog.NewTextHandler(w, nil)
	}
	slog.SetDefault(slog.New(h))
}

// printJSON writes v to standard output as indented JSON.
func printJSON(env Env, v any) error {
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
