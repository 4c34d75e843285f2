package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"runtime"

	"harbor/app/logfile"
	"harbor/app/service"
)

const serviceUsage = `harbor service — run the outlet (or branch) as this machine's service:
a Windows service, or a systemd unit on Linux. Run as Administrator / root.

Usage:
  harbor service install   [--role outlet|branch] [--config FILE] [--data-dir DIR]
  harbor service uninstall [--role ...]      stop and remove the service (settings and data stay)
  harbor service start|stop|status [--role ...]

install writes the settings file from the example when there is none (then
edit it and restart), registers the service to start at boot and starts it.
Windows: the settings file is %ProgramData%\harbor\ROLE.env, the data folder
%ProgramData%\harbor\ROLE, the log DATA\logs\harbor-ROLE.log (rotated at
10 MB, 5 kept) plus the Windows event log; stop drains check-ins as SIGTERM
does. Linux: /etc/harbor/ROLE.env, /var/lib/harbor/ROLE, the unit
/etc/systemd/system/harbor-ROLE.service from deploy/, enabled and started
with systemctl; logs in journald.

'harbor service run' is what the service manager starts; it runs the role
with that settings file and data folder, logging to the rotating file.`

// Log rotation of 'harbor service run'.
const (
	serviceLogSize = 10 << 20
	serviceLogKeep = 5
)

func runService(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(env.Stderr, serviceUsage)
		if len(args) == 0 {
			return errUsage
		}
		return flag.ErrHelp
	}
	action := args[0]
	switch action {
	case "install", "uninstall", "start", "stop", "status", "run":
	default:
		fmt.Fprintf(env.Stderr, "harbor service: unknown command %q\n\n%s\n", action, serviceUsage)
		return errUsage
	}
	var role, configFile, dataDir string
	fs := flag.NewFlagSet("service "+action, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() { fmt.Fprintln(env.Stderr, serviceUsage) }
	fs.StringVar(&role, "role", "outlet", "outlet or branch")
	fs.StringVar(&configFile, "config", "", "settings file (default: by OS, see above)")
	fs.StringVar(&dataDir, "data-dir", "", "data folder (default: by OS, see above)")
	// Only flags: a service's settings are in its settings file, so
	// HARBOR_* variables of the installer's shell must not leak into it.
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "harbor service %s: unexpected argument %q\n", action, fs.Arg(0))
		return errUsage
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	s, err := service.Resolve(runtime.GOOS, role, configFile, dataDir, exe, env.Getenv("ProgramData"))
	if err != nil {
		return err
	}
	m := service.NewManager(env.Stdout)
	switch action {
	case "install":
		return m.Install(s)
	case "uninstall":
		return m.Uninstall(s)
	case "start":
		return m.Start(s)
	case "stop":
		return m.Stop(s)
	case "status":
		return m.Status(s)
	}
	return serviceRun(ctx, s, env)
}

// serviceRun runs the role as the service manager's process: its output
// goes to the rotating log file, and a stop request (or SIGTERM, Ctrl+C)
// drains it.
func serviceRun(ctx context.Context, s service.Settings, env Env) error {
	log, err := logfile.Open(s.LogFile, serviceLogSize, serviceLogKeep)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	defer log.Close()
	roleEnv := Env{Stdin: env.Stdin, Stdout: log, Stderr: log, Getenv: env.Getenv}
	return service.Run(ctx, s.Name, func(ctx context.Context) error {
		err := run(ctx, s.RoleArgs(), roleEnv)
		if err != nil {
			fmt.Fprintln(log, "harbor:", err)
		}
		return err
	})
}
