package cli

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"harbor/app/outlet"
	"harbor/config"
)

const checkUsage = `harbor outlet check — the self-check an installer runs once (the staff
console's 自检 Self-check page shows the same): the data folder writable
and its disk space, the database, the base URL reachable from this machine
as this outlet, enrolled and the branch reachable, the clock within 2
minutes of the branch's, the printed posters' version current, and the
reports' backlog. Each line passes, or says what to do, in Chinese and
English. Exits 1 when a check fails.

Usage: harbor outlet check [--config FILE] [--data-dir D] [--base-url URL]`

var checkMarks = map[string]string{
	outlet.CheckOK:   "✓ 通过 OK    ",
	outlet.CheckFail: "✗ 未通过 FAIL",
	outlet.CheckSkip: "– 跳过 SKIP  ",
}

func outletCheck(ctx context.Context, args []string, env Env) error {
	var cfg config.Outlet
	fs := config.NewFlagSet("outlet check", checkUsage, env.Stderr)
	config.OutletFlags(fs, &cfg)
	if _, err := parseFlags(fs, args, env); err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	setupLogging(cfg.LogFormat, env.Stderr)
	lines := outlet.CheckDataFolder(cfg.DataDir)
	// Only an existing database is opened: the check must not create one.
	path := filepath.Join(cfg.DataDir, outlet.DBFile)
	if _, err := os.Stat(path); err != nil {
		lines = append(lines, outlet.CheckWithoutDatabase(fmt.Errorf("no outlet database at %s: start the server once", path))...)
	} else if svc, err := outlet.Open(ctx, cfg, nil); err != nil {
		lines = append(lines, outlet.CheckWithoutDatabase(err)...)
	} else {
		defer svc.Close()
		lines = append(lines, svc.SelfCheck(ctx, &http.Client{Timeout: 5 * time.Second})...)
	}
	count := map[string]int{}
	for _, l := range lines {
		count[l.Status]++
		fmt.Fprintf(env.Stdout, "%s  %s: %s\n", checkMarks[l.Status], l.Label, l.Found)
		if l.Fix != "" {
			fmt.Fprintf(env.Stdout, "               → %s\n", l.Fix)
		}
	}
	fmt.Fprintf(env.Stdout, "%d 项：%d 通过，%d 未通过，%d 跳过 — %d checks: %d passed, %d failed, %d skipped\n",
		len(lines), count[outlet.CheckOK], count[outlet.CheckFail], count[outlet.CheckSkip],
		len(lines), count[outlet.CheckOK], count[outlet.CheckFail], count[outlet.CheckSkip])
	if count[outlet.CheckFail] > 0 {
		return fmt.Errorf("%d of %d checks failed", count[outlet.CheckFail], len(lines))
	}
	return nil
}
