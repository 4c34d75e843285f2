package apptest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"testing"

	"harbor/models"
)

// AddUser creates a branch console account on the branch under test.
func (b *Branch) AddUser(name, role, password string) {
	b.tb.Helper()
	if _, err := b.Auth.AddUser(context.Background(), name, role, password); err != nil {
		b.tb.Fatalf("add console user %s: %v", name, err)
	}
}

// ConsoleLogin logs c in through the branch console's login form and
// returns the CSRF token of the new session.
func ConsoleLogin(tb testing.TB, c *Client, name, password string) string {
	tb.Helper()
	return formLogin(tb, c, "/console", "/console/overview", name, password)
}

// EnrollOutletIn is EnrollOutlet with the outlet's name and group.
func (b *Branch) EnrollOutletIn(code, name, group string) TestOutlet {
	b.tb.Helper()
	o := b.EnrollOutlet(code)
	if err := b.Svc.DB().Write.Exec(`UPDATE outlets SET name = ?, grp = ? WHERE code = ?`, name, group, code).Error; err != nil {
		b.tb.Fatal(err)
	}
	return o
}

// MustPush pushes r and fails the test unless the branch accepts it.
func (b *Branch) MustPush(o TestOutlet, r models.Report) {
	b.tb.Helper()
	if resp, body := b.Push(o, r); resp.StatusCode != http.StatusOK {
		b.tb.Fatalf("push %s %s r%d: %d %s", r.Outlet, r.Day, r.Revision, resp.StatusCode, body)
	}
}

// EnrollMany registers and enrolls outlets through the service rather
// than POST /api/v1/enroll, whose rate limit a test with many outlets
// would meet.
func (b *Branch) EnrollMany(codes ...string) []TestOutlet {
	b.tb.Helper()
	ctx := context.Background()
	out := make([]TestOutlet, len(codes))
	for i, code := range codes {
		ec, err := b.Svc.AddOutlet(ctx, code, "网点 "+code, "test", 0)
		if err != nil {
			b.tb.Fatal(err)
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			b.tb.Fatal(err)
		}
		if _, err := b.Svc.Enroll(ctx, ec.Code, pub, "Asia/Shanghai"); err != nil {
			b.tb.Fatal(err)
		}
		out[i] = TestOutlet{Code: code, Key: priv}
	}
	return out
}
