package cli

import (
	"strings"
	"testing"
)

// TestUnknownArgumentsRefused: every command refuses an argument it does
// not take (exit 2, naming it) instead of ignoring it, and says what is
// missing when one it needs is not given.
func TestUnknownArgumentsRefused(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"outlet", "extra"}, {"outlet", "serve", "extra"}, {"outlet", "qr", "extra"}, {"outlet", "report", "extra"},
		{"outlet", "push", "extra"}, {"outlet", "enroll", "extra"}, {"outlet", "backup", "a.db", "extra"},
		{"outlet", "user", "list", "extra"}, {"outlet", "user", "add", "王经理", "extra"},
		{"branch", "extra"}, {"branch", "summary", "extra"}, {"branch", "export", "extra"},
		{"branch", "outlet", "list", "extra"}, {"branch", "outlet", "revoke", "SY001", "extra"},
		{"branch", "user", "disable", "a", "extra"}, {"branch", "backup", "a.db", "extra"}, {"demo", "extra", "--dir", dir},
	} {
		if args[0] != "demo" {
			args = append(args, "--data-dir", dir)
		}
		rc, out, errOut := harbor(t, args...)
		if rc != 2 || out != "" || !strings.Contains(errOut, `unexpected argument "extra"`) {
			t.Errorf("%q: exit %d, %q %q; want 2 and the argument named", args, rc, out, errOut)
		}
	}
	for _, args := range [][]string{{"outlet", "backup"}, {"outlet", "user", "passwd"}, {"branch", "outlet", "code"}} {
		if rc, _, errOut := harbor(t, append(args, "--data-dir", dir)...); rc != 2 || !strings.Contains(errOut, "missing ") {
			t.Errorf("%q: exit %d, %q; want 2 and what is missing", args, rc, errOut)
		}
	}
}
