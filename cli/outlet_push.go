package cli

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"harbor/app/outlet"
)

const enrollUsage = `harbor outlet enroll — join this outlet to its branch.

Usage: harbor outlet enroll --branch URL --code ENROLLMENT_CODE [--data-dir D]

Generates an Ed25519 key pair, sends the public key with the one-time code
(from 'harbor branch outlet add') to the branch, and stores the private key
and branch URL in DATA_DIR/branch.json (mode 0600). The outlet takes the
code the branch registered it under.`

func outletEnroll(ctx context.Context, args []string, env Env) error {
	var branchURL, code string
	svc, _, err := openOutletForCommand(ctx, "outlet enroll", enrollUsage, args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&branchURL, "branch", "", "the branch server's URL, e.g. http://10.0.0.2:8090")
		fs.StringVar(&code, "code", "", "the one-time enrollment code")
	})
	if err != nil {
		return err
	}
	defer svc.Close()
	if branchURL == "" || code == "" {
		return fmt.Errorf("both --branch and --code are required (see 'harbor outlet enroll --help')")
	}
	before := svc.Profile().Code
	link, err := svc.Enroll(ctx, branchURL, code, &http.Client{Timeout: 30 * time.Second})
	if err != nil {
		return fmt.Errorf("enrollment failed: %w", err)
	}
	fmt.Fprintf(env.Stdout, "enrolled as outlet %s with branch %s\n", link.Outlet, link.BranchURL)
	if before != link.Outlet {
		fmt.Fprintf(env.Stdout, "note: the outlet code changed from %s to %s: print new posters ('harbor outlet qr'), "+
			"and set --outlet-code (HARBOR_OUTLET_CODE) to %s wherever it is given, or leave it out\n", before, link.Outlet, link.Outlet)
	}
	return nil
}

const pushUsage = `harbor outlet push — send pending reports to the branch now.

Usage: harbor outlet push [--data-dir D] [--day YYYY-MM-DD]

Snapshots the days whose figures changed (or only --day), then delivers
every pending report in day order, ignoring retry timers, and prints each
outcome in words. Exits non-zero when a delivery failed (the report stays
queued and is tried again); a day the branch held other figures of is
stored again above the branch's revision and sent, which is no failure.`

func outletPush(ctx context.Context, args []string, env Env) error {
	var day string
	svc, _, err := openOutletForCommand(ctx, "outlet push", pushUsage, args, env, nil, func(fs *flag.FlagSet) {
		fs.StringVar(&day, "day", "", "snapshot only this local day before sending (default: every changed day)")
	})
	if err != nil {
		return err
	}
	defer svc.Close()
	if link, err := svc.Link(); err != nil {
		return err
	} else if link == nil {
		return fmt.Errorf("this outlet is not enrolled: run 'harbor outlet enroll --branch URL --code CODE' first")
	}
	r := outlet.NewReporter(svc)
	r.Intraday = 0
	if day != "" {
		_, err = svc.Snapshot(ctx, day)
	} else {
		err = r.Cycle(ctx)
	}
	if err != nil {
		return err
	}
	sent, err := r.DeliverNow(ctx)
	if err != nil {
		return err
	}
	var failed []outlet.Delivery
	for _, d := range sent {
		fmt.Fprintf(env.Stdout, "%s revision %d: %s", d.Day, d.Revision, d.Outcome)
		switch {
		case d.Error != "":
			fmt.Fprintf(env.Stdout, " (%s)", d.Error)
			failed = append(failed, d)
		case d.Note != "":
			fmt.Fprintf(env.Stdout, " (%s)", d.Note)
		}
		fmt.Fprintln(env.Stdout)
	}
	st, err := svc.ReporterStatus(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d answered by the branch, %d still pending\n", answered(sent), st.Pending)
	if len(failed) > 0 {
		last := failed[len(failed)-1]
		return fmt.Errorf("delivery of %s revision %d failed: %s", last.Day, last.Revision, last.Error)
	}
	return nil
}

// answered counts the deliveries the branch answered (accepted, stale or
// conflict), leaving out failures and re-issues.
func answered(sent []outlet.Delivery) int {
	n := 0
	for _, d := range sent {
		switch d.Outcome {
		case outlet.OutcomeAccepted, outlet.OutcomeStale, outlet.OutcomeConflict:
			n++
		}
	}
	return n
}
