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

const outletTimeZoneUsage = `harbor branch outlet timezone — accept that an outlet now reports in
another time zone. The branch pins each outlet's zone when it enrolls and
refuses reports in any other (timezone_mismatch), so that a day cannot be
moved by naming a zone hours ahead; run this when the outlet really moved or
its --timezone was wrong. Its pending reports then go through.

Usage: harbor branch outlet timezone CODE ZONE [--data-dir D]   (ZONE e.g. Asia/Urumqi)`

func branchOutletTimeZone(ctx context.Context, args []string, env Env) error {
	cfg, pos, err := parseBranchCommand("branch outlet timezone", outletTimeZoneUsage, args, env, []string{"CODE", "ZONE"}, nil)
	if err != nil {
		return err
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.SetOutletTimeZone(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Outlet %s reports in %s from now on; reports in another zone are refused.\n", pos[0], pos[1])
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
