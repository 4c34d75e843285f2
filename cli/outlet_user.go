package cli

import (
	"context"
	"flag"

	"harbor/app"
	"harbor/app/auth"
	"harbor/models"
)

const userUsage = `harbor outlet user — manage the staff console's accounts.

Usage:
  harbor outlet user add NAME --role manager|staff [--data-dir D]
  harbor outlet user list [--data-dir D]
  harbor outlet user disable NAME [--data-dir D]
  harbor outlet user enable NAME [--data-dir D]
  harbor outlet user passwd NAME [--data-dir D]

The password is read from the terminal without echo (typed twice), or from
the first line of standard input when it is piped; never from a flag, so it
stays out of the shell history and the process list. Managers also manage
accounts, amenities and posters; staff do the daily work.`

// outletUser runs 'harbor outlet user SUBCOMMAND'.
func outletUser(ctx context.Context, args []string, env Env) error {
	return userCommand{name: "outlet user", usage: userUsage, defaultRole: models.RoleStaff,
		roleHelp: "manager or staff", loginPath: "/staff/login",
		open: func(ctx context.Context, sub string, args []string, env Env, want []string, extra func(*flag.FlagSet)) (*auth.Store, func() error, []string, error) {
			svc, pos, err := openOutletForCommand(ctx, "outlet user "+sub, userUsage, args, env, want, extra)
			if err != nil {
				return nil, nil, nil, err
			}
			store, err := app.NewOutletAuth(svc)
			if err != nil {
				svc.Close()
				return nil, nil, nil, err
			}
			return store, svc.Close, pos, nil
		}}.run(ctx, args, env)
}
