package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"harbor/app/auth"
)

// userCommand is 'harbor outlet user' or 'harbor branch user': the same
// subcommands (add, list, disable, enable, passwd) over one role's
// console accounts.
type userCommand struct {
	name        string // e.g. "outlet user"
	usage       string
	defaultRole string
	roleHelp    string // e.g. "manager or staff"
	loginPath   string // where a new account logs in
	// open parses the role's flags plus extra ones, checks the positional
	// arguments against want (see parseFlags) and opens its accounts.
	open func(ctx context.Context, sub string, args []string, env Env, want []string, extra func(*flag.FlagSet)) (*auth.Store, func() error, []string, error)
}

// run runs 'harbor ROLE user SUBCOMMAND ...'.
func (uc userCommand) run(ctx context.Context, args []string, env Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stderr, uc.usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return flag.ErrHelp
		}
		return errUsage
	}
	sub := args[0]
	switch sub {
	case "add", "list", "disable", "enable", "passwd":
	default:
		fmt.Fprintf(env.Stderr, "harbor %s: unknown command %q\n\n%s\n", uc.name, sub, uc.usage)
		return errUsage
	}
	role, want := uc.defaultRole, []string{"NAME"}
	if sub == "list" {
		want = nil
	}
	store, closeFn, pos, err := uc.open(ctx, sub, args[1:], env, want, func(fs *flag.FlagSet) {
		if sub == "add" {
			fs.StringVar(&role, "role", uc.defaultRole, "role of the new account: "+uc.roleHelp)
		}
	})
	if err != nil {
		return err
	}
	defer closeFn()
	if sub == "list" {
		return listUsers(ctx, store, env)
	}
	return uc.change(ctx, store, sub, pos[0], role, env)
}

func (uc userCommand) change(ctx context.Context, store *auth.Store, sub, name, role string, env Env) error {
	switch sub {
	case "add":
		pw, err := readNewPassword(env)
		if err != nil {
			return err
		}
		if _, err := store.AddUser(ctx, name, role, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created %s account %q: log in at %s\n", role, name, uc.loginPath)
	case "passwd":
		pw, err := readNewPassword(env)
		if err != nil {
			return err
		}
		if err := store.SetPassword(ctx, name, pw); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "password of %q changed; its sessions were ended\n", name)
	case "disable", "enable":
		if err := store.SetDisabled(ctx, name, sub == "disable"); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%sd %q\n", sub, name)
	}
	return nil
}

func listUsers(ctx context.Context, store *auth.Store, env Env) error {
	users, err := store.Users(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tSTATUS\tLAST LOGIN (UTC)")
	for _, u := range users {
		status, last := "active", "-"
		if u.Disabled {
			status = "disabled"
		}
		if t := u.LastLogin(); !t.IsZero() {
			last = t.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, status, last)
	}
	return w.Flush()
}

// readNewPassword reads a password without echo from a terminal (twice, to
// catch typos) or the first line of piped standard input.
func readNewPassword(env Env) (string, error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		first, err := promptPassword(f, env.Stderr, "New password (at least 8 characters): ")
		if err != nil {
			return "", err
		}
		again, err := promptPassword(f, env.Stderr, "Repeat the password: ")
		if err != nil {
			return "", err
		}
		if first != again {
			return "", errors.New("the two passwords differ; nothing changed")
		}
		return first, nil
	}
	if env.Stdin == nil {
		return "", errors.New("no password: run in a terminal or pipe it on standard input")
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

func promptPassword(f *os.File, prompt io.Writer, text string) (string, error) {
	fmt.Fprint(prompt, text)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return string(b), nil
}
