package branch_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"testing"

	"harbor/app/apptest"
	"harbor/app/signing"
	"harbor/config"
	"harbor/models"
)

// TestKeyChangesElsewhereTakeEffect changes outlets' rows the way another
// process would (the CLI's 'outlet revoke', or a new enrollment), after
// their keys were cached by a push: the next push must be refused at once
// and store nothing, a malformed one as well.
func TestKeyChangesElsewhereTakeEffect(t *testing.T) {
	apptest.ForEachBranchBackend(t, testKeyChangesElsewhereTakeEffect)
}

func testKeyChangesElsewhereTakeEffect(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	ctx := context.Background()
	revoked, rekeyed, rekeyedFirst := b.EnrollOutlet("SY001"), b.EnrollOutlet("SY002"), b.EnrollOutlet("SY003")
	ingest := func(o apptest.TestOutlet, body []byte) error {
		_, err := b.Svc.Ingest(ctx, o.Code, signing.Sign(o.Key, b.Clock.Now(), body), body)
		return err
	}
	push := func(o apptest.TestOutlet, day string) error {
		body, err := json.Marshal(apptest.SampleReport(o.Code, day, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		return ingest(o, body)
	}
	for _, o := range []apptest.TestOutlet{revoked, rekeyed, rekeyedFirst} {
		if err := push(o, "2026-11-23"); err != nil {
			t.Fatalf("push of %s: %v", o.Code, err)
		}
	}
	// As another process would: revoke one outlet, give two others new keys.
	exec := func(q string, args ...any) {
		if err := b.Svc.DB().Write.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE outlets SET status = ? WHERE code = ?`, "revoked", revoked.Code)
	newKey := func(o apptest.TestOutlet) apptest.TestOutlet {
		pub, priv, _ := ed25519.GenerateKey(rand.Reader)
		exec(`UPDATE outlets SET public_key = ? WHERE code = ?`, base64.StdEncoding.EncodeToString(pub), o.Code)
		return apptest.TestOutlet{Code: o.Code, Key: priv}
	}
	rekeyedNew, rekeyedFirstNew := newKey(rekeyed), newKey(rekeyedFirst)

	receipts := len(b.Receipts())
	if err := push(rekeyedFirstNew, "2026-11-24"); err != nil {
		t.Errorf("push with the new key, the old one cached: %v", err)
	}
	for _, c := range []struct {
		o    apptest.TestOutlet
		want string
	}{{revoked, models.EREVOKED}, {rekeyed, models.EBADSIG}} {
		if err := push(c.o, "2026-11-24"); models.ErrorCode(err) != c.want {
			t.Errorf("push of %s after the change: %v, want %s", c.o.Code, err, c.want)
		}
		if err := ingest(c.o, []byte(`{"schema": 1}`)); models.ErrorCode(err) != c.want {
			t.Errorf("malformed push of %s after the change: %v, want %s", c.o.Code, err, c.want)
		}
	}
	if err := push(rekeyedNew, "2026-11-24"); err != nil {
		t.Errorf("push with the new key after one with the old: %v", err)
	}
	if n := len(b.Receipts()); n != receipts+2 {
		t.Fatalf("%d receipts, want %d: one for each push with the new key", n, receipts+2)
	}
}
