package pull

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"harbor/models"
)

// TestCredentials: a credential reads back only with the branch key that
// signed it, whole, unexpired; anything else is refused with its code.
func TestCredentials(t *testing.T) {
	branchPub, branchKey, _ := ed25519.GenerateKey(rand.Reader)
	otherPub, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	outletPub, _, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	c := models.GatewayCredential{Outlet: "SY001", PublicKey: base64.StdEncoding.EncodeToString(outletPub),
		TimeZone: "Asia/Shanghai", IssuedAt: now, ExpiresAt: now.Add(CredentialTTL)}
	good, err := IssueCredential(branchKey, c)
	if err != nil {
		t.Fatal(err)
	}
	got, key, err := ReadCredential(good, []ed25519.PublicKey{otherPub, branchPub}, now.Add(time.Hour))
	if err != nil || got.Outlet != "SY001" || !key.Equal(outletPub) {
		t.Fatalf("a good credential: %+v %v", got, err)
	}
	byOther, _ := IssueCredential(otherKey, c)
	body, sig, _ := strings.Cut(good, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	tampered := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), "SY001", "SY002", 1))) + "." + sig
	for name, tc := range map[string]struct {
		cred string
		at   time.Time
		code string
	}{
		"signed by another key": {byOther, now, models.ECREDENTIAL},
		"altered after signing": {tampered, now, models.ECREDENTIAL},
		"no signature":          {body, now, models.ECREDENTIAL},
		"not base64":            {"%%%." + sig, now, models.ECREDENTIAL},
		"empty":                 {"", now, models.ECREDENTIAL},
		"past its expiry":       {good, now.Add(CredentialTTL), models.ECREDEXPIRE},
		"absurdly long":         {strings.Repeat("A", 3000) + "." + sig, now, models.ECREDENTIAL},
	} {
		if _, _, err := ReadCredential(tc.cred, []ed25519.PublicKey{branchPub}, tc.at); models.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", name, err, tc.code)
		}
	}
}

func TestTokenDigest(t *testing.T) {
	a, b := TokenDigest("p1.AAAAAAAAAAAAAAAA"), TokenDigest("p1.AAAAAAAAAAAAAAAB")
	if a == b || len(a) != 22 || TokenDigest("p1.AAAAAAAAAAAAAAAA") != a {
		t.Fatalf("digests %q %q", a, b)
	}
}
