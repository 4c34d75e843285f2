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

// UsageError is a command line flag could not parse; flag has already
// printed the problem and the usage.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Parse parses args into fs, letting flags appear before, between or after
// positional arguments, then fills every flag not given on the command line
// from its HARBOR_* environment variable, and what is still unset from the
// settings file named by --config (HARBOR_CONFIG), when fs has that flag:
// a flag wins over the environment, which wins over the file. It returns
// the positional args.
func Parse(fs *flag.FlagSet, args []string, getenv func(string) string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, &UsageError{err}
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
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if f := fs.Lookup(ConfigFlag); f != nil && f.Value.String() != "" {
		if err := applySettingsFile(fs, f.Value.String()); err != nil {
			return nil, err
		}
	}
	return positional, nil
}

// NewFlagSet returns a FlagSet whose usage starts with synopsis and lists each
// flag with its environment variable.
func NewFlagSet(name, synopsis string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintln(out, strings.TrimSpace(synopsis))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n == 0 {
			return
		}
		fmt.Fprintf(out, "\nFlags (each also settable by the environment variable shown):\n")
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
