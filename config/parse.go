// Package config turns command-line flags and HARBOR_* environment variables
// into one validated struct per role. Nothing here is read at import time.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// EnvName is the environment variable that sets a flag: --data-dir is
// HARBOR_DATA_DIR.
func EnvName(flagName string) string {
	return "HARBOR_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// ErrHelp is returned when the user asked for --help; the usage was printed.
var ErrHelp = flag.ErrHelp

// Parse parses args into fs, letting flags appear before, between or after
// positional arguments, then fills every flag not given on the command line
// from its HARBOR_* environment variable. It returns the positional args.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			positional = append(positional, args[1:]...)
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || getenv == nil {
			return
		}
		if v := getenv(EnvName(f.Name)); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %v", EnvName(f.Name), v, err))
			}
		}
	})
	return positional, errors.Join(errs...)
}

// NewFlagSet returns a FlagSet whose usage starts with synopsis and lists each
// flag with its environment variable.
func NewFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(out, "%s\n\nFlags (each also settable by the environment variable shown):\n", strings.TrimSpace(synopsis))
		fs.VisitAll(func(f *flag.Flag) {
			def := ""
			if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(out, "  --%s  [%s]\n      %s%s\n", f.Name, EnvName(f.Name), f.Usage, def)
		})
	}
	return fs
}
