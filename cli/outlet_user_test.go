package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"harbor/app"
	"harbor/app/auth"
	"harbor/cli"
	"harbor/config"
)

// harbor runs the command line with stdin and returns exit code and output.
func harbor(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := cli.Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(string) string { return "" }}
	code := cli.Main(context.Background(), args, env)
	return code, out.String(), errOut.String()
}

func TestOutletUserCommands(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := harbor(t, "s3cret-pass\n", "outlet", "user", "add", "王经理", "--role", "manager", "--data-dir", dir); code != 1 ||
		!strings.Contains(errOut, "start the server once") {
		t.Fatalf("user add before the outlet's first start: exit %d %s", code, errOut)
	}
	openAuth(t, dir) // the first start creates the database
	code, out, errOut := harbor(t, "s3cret-pass\n", "outlet", "user", "add", "王经理", "--role", "manager", "--data-dir", dir, "--log-format", "text")
	if code != 0 || !strings.Contains(out, `created manager account "王经理"`) {
		t.Fatalf("user add: exit %d, %s %s", code, out, errOut)
	}
	if code, _, errOut := harbor(t, "s3cret-pass\n", "outlet", "user", "add", "王经理", "--data-dir", dir); code != 1 || !strings.Contains(errOut, "已存在") {
		t.Fatalf("adding the same name again: exit %d %s", code, errOut)
	}
	if code, _, errOut := harbor(t, "short\n", "outlet", "user", "add", "clerk", "--data-dir", dir); code != 1 || !strings.Contains(errOut, "至少 8") {
		t.Fatalf("short password: exit %d %s", code, errOut)
	}
	if code, _, _ := harbor(t, "", "outlet", "user", "add", "--data-dir", dir); code != 2 {
		t.Fatalf("no name: exit %d, want 2", code)
	}
	harbor(t, "another-pass\n", "outlet", "user", "passwd", "王经理", "--data-dir", dir)
	harbor(t, "", "outlet", "user", "disable", "王经理", "--data-dir", dir)
	code, out, _ = harbor(t, "", "outlet", "user", "list", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "王经理") || !strings.Contains(out, "manager") || !strings.Contains(out, "disabled") {
		t.Fatalf("user list: exit %d\n%s", code, out)
	}

	// The stored password is the one piped in, checked by the real login.
	store := openAuth(t, dir)
	harbor(t, "", "outlet", "user", "enable", "王经理", "--data-dir", dir)
	if _, err := store.Login(context.Background(), "王经理", "another-pass", "127.0.0.1"); err != nil {
		t.Fatalf("login with the new password: %v", err)
	}
}

// openAuth opens the outlet in dir the way the server does (creating it on
// a first start) and returns its accounts.
func openAuth(t *testing.T, dir string) *auth.Store {
	t.Helper()
	cfg := config.OutletDefaults()
	cfg.DataDir = dir
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	o, err := app.NewOutlet(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.Close() })
	return o.Auth
}
