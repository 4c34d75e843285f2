package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"harbor/app/branch"
	"harbor/config"
)

const branchOutletUsage = `harbor branch outlet — manage the outlets that report to this branch.

Usage:
  harbor branch outlet add CODE --name NAME [--group G] [--ttl 24h]
  harbor branch outlet code CODE [--ttl 24h]
  harbor branch outlet list [--json]
  harbor branch outlet revoke CODE
  harbor branch outlet timezone CODE ZONE`

func runBranchOutlet(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, branchOutletUsage)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(env.Stdout, branchOutletUsage)
		return nil
	case "add":
		return branchOutletAdd(ctx, args[1:], env)
	case "code":
		return branchOutletCode(ctx, args[1:], env)
	case "list":
		return branchOutletList(ctx, args[1:], env)
	case "revoke":
		return branchOutletRevoke(ctx, args[1:], env)
	case "timezone":
		return branchOutletTimeZone(ctx, args[1:], env)
	}
	fmt.Fprintf(env.Stderr, "harbor branch outlet: unknown command %q\n\n%s\n", args[0], branchOutletUsage)
	return errUsage
}

const outletAddUsage = `harbor branch outlet add — register an outlet and print its one-time
enrollment code, to be used at the outlet with 'harbor outlet enroll'.

Usage: harbor branch outlet add CODE --name NAME [--group G] [--ttl 24h] [--data-dir D]`

func branchOutletAdd(ctx context.Context, args []string, env Env) error {
	var name, group string
	var ttl time.Duration
	cfg, pos, err := parseBranchCommand("branch outlet add", outletAddUsage, args, env, []string{"CODE"}, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "name", "", "outlet name, e.g. 十堰分行营业部 (required)")
		fs.StringVar(&group, "group", "", "sub-branch or group the outlet belongs to")
		ttlFlag(fs, &ttl)
	})
	if err != nil {
		return err
	}
	if name == "" {
		fmt.Fprintln(env.Stderr, "harbor branch outlet add: give the outlet's --name (see --help)")
		return errUsage
	}
	svc, err := openBranch(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer svc.Close()
	code := pos[0]
	ec, err := svc.AddOutlet(ctx, code, name, group, ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Registered outlet %s 「%s」.\n", code, name)
	printEnrollment(env, cfg, ec)
	return nil
}

const outletCodeUsage = `harbor branch outlet code — issue a new one-time enrollment code for a
registered outlet (the first one expired, or the outlet lost its key). Earlier
unused codes stop working; enrolling with the new one replaces the outlet's key.

Usage: harbor branch outlet code CODE [--ttl 24h] [--data-dir D]`

func branchOutletCode(ctx context.Context, args []string, env Env) error {
	var ttl time.Duration
	cfg, pos, err := parseBranchCommand("branch outlet code", outletCodeUsage, args, env, []string{"CODE"},
		func(fs *flag.FlagSet) { ttlFlag(fs, &ttl) })
	if err != nil {
		return err
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	code := pos[0]
	ec, err := svc.NewEnrollmentCode(ctx, code, ttl)
	if err != nil {
		return err
	}
	printEnrollment(env, cfg, ec)
	return nil
}

func ttlFlag(fs *flag.FlagSet, p *time.Duration) {
	fs.DurationVar(p, "ttl", 0, "how long the enrollment code stays valid (default: --enroll-ttl, 24h)")
}

// printEnrollment shows a new code once, with the command to run at the outlet.
func printEnrollment(env Env, cfg config.Branch, ec branch.EnrollmentCode) {
	fmt.Fprintf(env.Stdout, "One-time enrollment code for %s (shown only now; valid until %s):\n\n  %s\n\n",
		ec.Outlet, ec.ExpiresAt.Local().Format("2006-01-02 15:04 MST"), ec.Code)
	fmt.Fprintf(env.Stdout, "At the outlet, run:\n\n  harbor outlet enroll --branch %s --code %s\n\n", cfg.BaseURL, ec.Code)
	fmt.Fprintf(env.Stdout, "(%s is where outlets must reach this branch; set --base-url if that differs.)\n", cfg.BaseURL)
}

const outletListUsage = `harbor branch outlet list — show every registered outlet with its
enrollment state, last contact and last report.

Usage: harbor branch outlet list [--json] [--data-dir D]`

func branchOutletList(ctx context.Context, args []string, env Env) error {
	var asJSON bool
	cfg, _, err := parseBranchCommand("branch outlet list", outletListUsage, args, env, nil,
		func(fs *flag.FlagSet) { fs.BoolVar(&asJSON, "json", false, "print JSON instead of a table") })
	if err != nil {
		return err
	}
	svc, err := openBranch(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer svc.Close()
	outlets, err := svc.ListOutlets(ctx)
	if err != nil {
		return err
	}
	if asJSON {
		return printJSON(env, outlets)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	// Names and groups last: tabwriter cannot align wide (CJK) characters.
	fmt.Fprintln(w, "CODE\tSTATUS\tLAST CONTACT\tLAST REPORT\tTIME ZONE\tGROUP\tNAME")
	for _, o := range outlets {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Code, outletState(o), when(o.LastContactAt), lastReport(o.LastReport),
			cmp.Or(o.TimeZone, "-"), o.Group, o.Name)
	}
	return w.Flush()
}

func outletState(o branch.Outlet) string {
	if o.Status == branch.StatusActive && !o.Enrolled {
		return "awaiting enrollment"
	}
	return o.Status
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}

func lastReport(r *branch.LastReport) string {
	if r == nil {
		return "-"
	}
	kind := "intraday"
	if r.Final {
		kind = "final"
	}
	return fmt.Sprintf("%s rev %d %s", r.Day, r.Revision, kind)
}
