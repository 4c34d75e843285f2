package cli

import (
	"context"
	"flag"
	"fmt"
)

const outletRevokeUsage = `harbor branch outlet revoke — stop accepting an outlet's reports and
enrollments. Its stored reports stay.

Usage: harbor branch outlet revoke CODE [--data-dir D]`

func branchOutletRevoke(ctx context.Context, args []string, env Env) error {
	cfg, pos, err := parseBranchCommand("branch outlet revoke", outletRevokeUsage, args, env, []string{"CODE"}, nil)
	if err != nil {
		return err
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	code := pos[0]
	if err := svc.RevokeOutlet(ctx, code); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Revoked outlet %s: the branch no longer accepts its reports; stored reports stay.\n", code)
	return nil
}

const summaryUsage = `harbor branch summary — print one local day's figures as JSON: each
reporting outlet, the enrolled outlets that have not reported, and totals per
amenity, category and channel.

Usage: harbor branch summary --day YYYY-MM-DD [--data-dir D]`

func branchSummary(ctx context.Context, args []string, env Env) error {
	var day string
	cfg, _, err := parseBranchCommand("branch summary", summaryUsage, args, env, nil,
		func(fs *flag.FlagSet) { fs.StringVar(&day, "day", "", "local day, YYYY-MM-DD (required)") })
	if err != nil {
		return err
	}
	if day == "" {
		fmt.Fprintln(env.Stderr, "harbor branch summary: give --day YYYY-MM-DD (see --help)")
		return errUsage
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	sum, err := svc.Summary(ctx, day)
	if err != nil {
		return err
	}
	return printJSON(env, sum)
}
