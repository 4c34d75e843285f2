package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/app/pull"
	"harbor/app/signing"
	"harbor/models"
)

// rawPull is a pull as an attacker or a test writes it: its headers and
// body, signed with key.
type rawPull struct {
	outlet, credential string
	key                ed25519.PrivateKey
	body               []byte
	signature          string // set by sign
}

func (p *rawPull) sign(at time.Time) *rawPull {
	p.signature = signing.Sign(p.key, at, p.body)
	return p
}

// send posts p to the gateway's pull listener and returns the status and
// the error code, if any.
func (p *rawPull) send(t *testing.T, g *gatewayNet) (int, string, models.PullAnswer) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, g.gw.PullURL+pull.Path, bytes.NewReader(p.body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(signing.OutletHeader, p.outlet)
	req.Header.Set(signing.SignatureHeader, p.signature)
	req.Header.Set(pull.CredentialHeader, p.credential)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e struct{ Error struct{ Code string } }
	var ans models.PullAnswer
	json.Unmarshal(raw, &e)
	json.Unmarshal(raw, &ans)
	return resp.StatusCode, e.Error.Code, ans
}

// pullOf is a well-formed pull of outlet o from cursor, with o's key and a
// fresh credential from the branch.
func pullOf(t *testing.T, g *gatewayNet, o *apptest.Outlet, cursor int64) *rawPull {
	t.Helper()
	link, err := o.Svc.Link()
	if err != nil || link == nil {
		t.Fatalf("link: %v", err)
	}
	cred, err := o.Svc.FetchCredential(context.Background(), link, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(models.PullRequest{Nonce: base64.RawURLEncoding.EncodeToString(randomBytes(9)),
		Gateway: g.gw.Svc.ID(), Cursor: cursor, Limit: 100})
	return (&rawPull{outlet: link.Outlet, credential: cred, key: link.PrivateKey, body: body}).sign(g.clock.Now())
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// TestPullsMustProveThemselves: a pull signed by another outlet, with
// another outlet's credential, with a credential no trusted branch signed,
// an expired one, or one sent again (also after a restart of the gateway)
// is refused with its own code, and acknowledges nothing.
func TestPullsMustProveThemselves(t *testing.T) {
	g := newGatewayNet(t)
	a, b := g.addOutlet("SY001"), g.addOutlet("SY002")
	phone := apptest.NewClient(t, g.gw.Public, "100.64.1.1")
	gatewayStation(t, phone, a, a.Svc.PosterToken(""), url.Values{"a": {"water"}})

	good := pullOf(t, g, a, 0)
	byB := pullOf(t, g, b, 0)
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	forgedCred := forgeCredential(t, "SY001", stranger, g.clock.Now())
	cases := []struct {
		name   string
		p      *rawPull
		status int
		code   string
	}{
		{"signed by another outlet's key", (&rawPull{outlet: "SY001", credential: good.credential, key: byB.key, body: good.body}).sign(g.clock.Now()), 401, models.EBADSIG},
		{"another outlet's credential", (&rawPull{outlet: "SY001", credential: byB.credential, key: byB.key, body: good.body}).sign(g.clock.Now()), 401, models.ECREDENTIAL},
		{"a credential no branch of ours signed", (&rawPull{outlet: "SY001", credential: forgedCred, key: stranger, body: good.body}).sign(g.clock.Now()), 401, models.ECREDENTIAL},
		{"no credential", (&rawPull{outlet: "SY001", key: good.key, body: good.body}).sign(g.clock.Now()), 401, models.ECREDENTIAL},
		{"signed ten minutes ago", (&rawPull{outlet: "SY001", credential: good.credential, key: good.key, body: good.body}).sign(g.clock.Now().Add(-10 * time.Minute)), 401, models.ESKEW},
		{"body changed after signing", &rawPull{outlet: "SY001", credential: good.credential, key: good.key, body: []byte(`{"cursor":99}`), signature: good.signature}, 401, models.EBADSIG},
	}
	for _, tc := range cases {
		if status, code, _ := tc.p.send(t, g); status != tc.status || code != tc.code {
			t.Errorf("%s: %d %q, want %d %q", tc.name, status, code, tc.status, tc.code)
		}
	}
	if status, _, ans := good.send(t, g); status != 200 || len(ans.Items) != 1 {
		t.Fatalf("the good pull: %d with %d items", status, len(ans.Items))
	}
	if status, code, _ := good.send(t, g); status != 401 || code != models.EREPLAY {
		t.Fatalf("the good pull again: %d %q, want 401 %q", status, code, models.EREPLAY)
	}
	g.restartGateway() // the gateway remembers the pulls it took across a restart
	if status, code, _ := good.send(t, g); status != 401 || code != models.EREPLAY {
		t.Fatalf("the good pull again after a restart: %d %q, want 401 %q", status, code, models.EREPLAY)
	}
	g.clock.Advance(pull.CredentialTTL + time.Minute)
	expired := (&rawPull{outlet: "SY001", credential: good.credential, key: good.key, body: good.body}).sign(g.clock.Now())
	if status, code, _ := expired.send(t, g); status != 401 || code != models.ECREDEXPIRE {
		t.Fatalf("expired credential: %d %q", status, code)
	}
	if outlets, _ := g.gw.Svc.Outlets(context.Background()); outlets[0].Acked != 0 {
		t.Fatalf("refused pulls acknowledged items: %+v", outlets[0])
	}
}

// forgeCredential is a credential for code naming key, signed by key
// itself rather than by the branch.
func forgeCredential(t *testing.T, code string, key ed25519.PrivateKey, now time.Time) string {
	t.Helper()
	c, err := pull.IssueCredential(key, models.GatewayCredential{Outlet: code,
		PublicKey: base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)), IssuedAt: now, ExpiresAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestRevokedOutletStopsPullingAtExpiry: once the branch revokes an
// outlet, it issues it no credential, and the gateway refuses its pulls
// when the last one expires; a newer credential (a new enrollment's key)
// supersedes an older one at once.
func TestRevokedOutletStopsPullingAtExpiry(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	ctx := context.Background()
	if err := g.branch.Svc.RevokeOutlet(ctx, "SY001"); err != nil {
		t.Fatal(err)
	}
	link, _ := o.Svc.Link()
	if _, err := o.Svc.FetchCredential(ctx, link, http.DefaultClient); models.ErrorCode(err) != models.EREVOKED {
		t.Fatalf("credential for a revoked outlet: %v", err)
	}
	if _, err := o.Puller.Pull(ctx, 0); err != nil {
		t.Fatalf("pull with the credential held: %v", err)
	}
	g.clock.Advance(pull.CredentialRefresh + time.Hour) // the outlet tries for a new one and keeps the old
	if _, err := o.Puller.Pull(ctx, 0); err != nil {
		t.Fatalf("pull while the old credential lasts: %v", err)
	}
	g.clock.Advance(pull.CredentialTTL)
	if _, err := o.Puller.Pull(ctx, 0); err == nil {
		t.Fatal("a revoked outlet still pulls after its credential expired")
	}

	// Another outlet enrolls anew: the credential of its new key
	// supersedes the one of its old key, which an attacker might hold.
	h := newGatewayNet(t)
	p := h.addOutlet("SY002")
	oldPull := pullOf(t, h, p, 0)
	h.clock.Advance(time.Second)
	code, err := h.branch.Svc.NewEnrollmentCode(ctx, "SY002", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Svc.Enroll(ctx, h.url, code.Code, http.DefaultClient); err != nil {
		t.Fatal(err)
	}
	if err := p.Svc.DB().Write.Exec(`UPDATE gateway_state SET credential = ''`).Error; err != nil {
		t.Fatal(err)
	}
	pullAll(t, p)
	if status, code, _ := oldPull.send(t, h); status != 401 || code != models.ECREDENTIAL {
		t.Fatalf("a pull with the superseded credential: %d %q", status, code)
	}
}

// TestDuplicateAndReorderedPullsChangeNothing: pulls answered twice,
// acknowledgements out of order, and a pull from an older cursor leave
// every scan counted once, and the gateway's acknowledgement never moves
// back.
func TestDuplicateAndReorderedPullsChangeNothing(t *testing.T) {
	g := newGatewayNet(t)
	o := g.addOutlet("SY001")
	for i := range 6 {
		phone := apptest.NewClient(t, g.gw.Public, "100.64.2."+string(rune('1'+i)))
		gatewayStation(t, phone, o, o.Svc.PosterToken(""), url.Values{"a": {"water"}})
	}
	// The same items answered to two pulls from cursor 0, applied in both
	// orders: as a lost answer and a retried pull would.
	_, _, first := pullOf(t, g, o, 0).send(t, g)
	_, _, again := pullOf(t, g, o, 0).send(t, g)
	ctx := context.Background()
	gw := first.Gateway
	if _, _, err := o.Svc.ApplyItems(ctx, gw, again.Items[3:]); err != nil {
		t.Fatal(err)
	}
	if _, _, err := o.Svc.ApplyItems(ctx, gw, first.Items); err != nil {
		t.Fatal(err)
	}
	if _, outcomes, err := o.Svc.ApplyItems(ctx, gw, again.Items); err != nil || outcomes[0] != outlet.OutcomeBefore {
		t.Fatalf("applying again: %v %v", outcomes, err)
	}
	// Acknowledgements out of order: 6, then 2.
	last := first.Items[5].ID
	pullOf(t, g, o, last).send(t, g)
	pullOf(t, g, o, first.Items[1].ID).send(t, g)
	if outlets, _ := g.gw.Svc.Outlets(ctx); outlets[0].Acked != last || outlets[0].Pending != 0 {
		t.Fatalf("acknowledged %d with %d pending, want %d and 0", outlets[0].Acked, outlets[0].Pending, last)
	}
	pullAll(t, o)
	if r := report(t, o, "2026-11-25"); r.Totals.CheckIns != 6 || r.Totals.Visitors != 6 {
		t.Fatalf("totals %+v, want 6 check-ins by 6 visitors", r.Totals)
	}
}
