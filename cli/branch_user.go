package cli

import (
	"context"
	"flag"

	"harbor/app"
	"harbor/app/auth"
	"harbor/models"
)

const branchUserUsage = `harbor branch user — manage the branch console's accounts.

Usage:
  harbor branch user add NAME --role viewer|admin [--data-dir D | --db URL]
  harbor branch user list
  harbor branch user disable NAME
  harbor branch user enable NAME
  harbor branch user passwd NAME

The password is read from the terminal without echo (typed twice), or from
the first line of standard input when it is piped; never from a flag.
Viewers read every page and export reports; admins also manage accounts
and API tokens.`

// branchUser runs 'harbor branch user SUBCOMMAND'.
func branchUser(ctx context.Context, args []string, env Env) error {
	return userCommand{name: "branch user", usage: branchUserUsage, defaultRole: models.RoleViewer,
		roleHelp: "viewer or admin", loginPath: "/console/login",
		open: func(ctx context.Context, sub string, args []string, env Env, want []string, extra func(*flag.FlagSet)) (*auth.Store, func() error, []string, error) {
			cfg, pos, err := parseBranchCommand("branch user "+sub, branchUserUsage, args, env, want, extra)
			if err != nil {
				return nil, nil, nil, err
			}
			svc, err := openBranch(ctx, cfg, true)
			if err != nil {
				return nil, nil, nil, err
			}
			store, err := app.NewBranchAuth(svc, nil)
			if err != nil {
				svc.Close()
				return nil, nil, nil, err
			}
			return store, svc.Close, pos, nil
		}}.run(ctx, args, env)
}
