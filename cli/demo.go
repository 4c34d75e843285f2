package cli

import (
	"context"
	"fmt"
	"os"

	"harbor/app"
	"harbor/config"
)

const demoUsage = `harbor demo — a branch and three outlets in one process, to see the whole flow.

Usage: harbor demo [--dir D] [--port 8090] [--host 127.0.0.1] [--once]

Creates a branch and three outlets (separate databases under --dir, or a new
temporary folder), enrolls the outlets with the branch, simulates yesterday's
and this morning's worker check-ins through the real check-in path, pushes
the signed reports, prints every address, and serves until Ctrl-C. The
branch listens on --port and the outlets on the next three ports.`

func runDemo(ctx context.Context, args []string, env Env) error {
	var opts app.DemoOptions
	fs := config.NewFlagSet("demo", demoUsage, env.Stderr)
	fs.StringVar(&opts.Dir, "dir", "", "parent folder of the demo's data folders (default: a new temporary folder)")
	fs.StringVar(&opts.Host, "host", "127.0.0.1", "host to listen on; use 0.0.0.0 to let phones on the network in")
	fs.IntVar(&opts.Port, "port", 8090, "the branch's port; outlets use the next three (0: any free ports)")
	fs.BoolVar(&opts.Once, "once", false, "set up, simulate, push and print, then exit")
	fs.Uint64Var(&opts.Seed, "seed", 1, "random seed of the simulated visits")
	if _, err := parseFlags(fs, args, env); err != nil {
		return err
	}
	if opts.Dir == "" {
		dir, err := os.MkdirTemp("", "harbor-demo-")
		if err != nil {
			return err
		}
		opts.Dir = dir
	}
	setupLogging("text", env.Stderr)
	fmt.Fprintf(env.Stdout, "demo data in %s\n", opts.Dir)
	return app.RunDemo(ctx, opts, env.Stdout)
}
