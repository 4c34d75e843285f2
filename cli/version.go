package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"harbor/config"
)

// Stamped at build time by scripts/release, e.g.
// -ldflags "-X harbor/cli.Version=1.4.0 -X harbor/cli.Commit=3f2a9c1b7d0e -X harbor/cli.BuildDate=2026-12-01T08:00:00Z".
var (
	Version   = "dev"
	Commit    = ""
	BuildDate = ""
)

const versionUsage = `harbor version — print the version, the commit and date it was built
from, the Go version and the target (OS/architecture).

Usage: harbor version`

func runVersion(args []string, env Env) error {
	fs := config.NewFlagSet("version", versionUsage, env.Stderr)
	if _, err := parseFlags(fs, args, env); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, VersionLine())
	return nil
}

// VersionLine says which build this is, in one line:
// "harbor 1.4.0 (commit 3f2a9c1b7d0e, built 2026-12-01T08:00:00Z, go1.26.10, linux/arm64)".
func VersionLine() string {
	commit, date := Commit, BuildDate
	if info, ok := debug.ReadBuildInfo(); ok && commit == "" {
		// A plain 'go build' in a git checkout records the commit itself.
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				commit = s.Value
			}
		}
	}
	if commit == "" {
		commit = "unknown"
	}
	if date == "" {
		date = "unknown"
	}
	return fmt.Sprintf("harbor %s (commit %s, built %s, %s, %s/%s)",
		Version, commit, date, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
