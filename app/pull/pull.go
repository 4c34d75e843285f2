// Package pull is the protocol between the public gateway and the outlets
// that pull their inbox from it (docs/GATEWAY.md; documents in
// models/gateway.go): the branch's credential that vouches for an outlet's
// key, the digests the gateway checks codes with, and the limits both
// sides keep. A pull is signed like a report push (app/signing), with the
// outlet's credential beside it:
//
//	POST {gateway pull URL}/api/v1/pull
//	X-Harbor-Outlet: SY001
//	X-Harbor-Signature: t=<unix seconds>,sig=<Ed25519 over "<t>.<body>">
//	X-Harbor-Credential: <base64url credential JSON>.<base64url branch signature>
package pull

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"harbor/models"
)

// CredentialHeader carries the outlet's credential on every pull.
const CredentialHeader = "X-Harbor-Credential"

// Path is where the gateway's pull listener takes pulls.
const Path = "/api/v1/pull"

// Timings and sizes both sides keep.
const (
	// CredentialTTL is how long a credential the branch issues is good:
	// a revoked outlet pulls until then. Outlets fetch a new one after
	// CredentialRefresh, so a branch down for two days stops no pull.
	CredentialTTL     = 72 * time.Hour
	CredentialRefresh = 24 * time.Hour
	// MaxWait is the longest a pull is held while nothing is new; a scan
	// wakes it at once.
	MaxWait = 25 * time.Second
	// MaxItems is the most items one pull answers.
	MaxItems = 1000
	// LiveWindows is how many live-code windows an outlet sends the
	// digests of (30 s each, the previous one first): ten minutes.
	LiveWindows = 21
	// PosterVersions is how many poster versions a sheet names the codes
	// of (the current one and those before it).
	PosterVersions = 5
	// MaxBody bounds a pull's body (a sheet of 200 amenities with its
	// digests is about 60 KB).
	MaxBody = 256 << 10
)

// TokenDigest is what the gateway knows of a QR token: a digest it can
// compare a scanned code with, from which no code can be made. 16 bytes of
// SHA-256, base64url.
func TokenDigest(tok string) string {
	sum := sha256.Sum256([]byte("harbor.token\x00" + tok))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// SheetDigest names a sheet's content: the gateway answers every pull with
// the digest of the sheet it holds, and the outlet sends its own when it
// differs.
func SheetDigest(sh *models.StationSheet) string {
	b, _ := json.Marshal(sh) // a plain struct: never fails
	sum := sha256.Sum256(b)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// IssueCredential signs c with the branch's gateway key.
func IssueCredential(priv ed25519.PrivateKey, c models.GatewayCredential) (string, error) {
	c.Schema = models.CredentialSchema
	body, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(body) + "." +
		base64.RawURLEncoding.EncodeToString(ed25519.Sign(priv, body)), nil
}

// ReadCredential checks that one of branchKeys signed token and that it is
// still valid at now, and returns it with the outlet's key. A credential
// is never trusted before its signature is checked.
func ReadCredential(token string, branchKeys []ed25519.PublicKey, now time.Time) (models.GatewayCredential, ed25519.PublicKey, error) {
	var c models.GatewayCredential
	bad := models.Errorf(models.ECREDENTIAL, "the %s header is not a credential this gateway's branch signed", CredentialHeader)
	b64, sig64, ok := strings.Cut(token, ".")
	if !ok || len(token) > 2048 {
		return c, nil, bad
	}
	body, err1 := base64.RawURLEncoding.DecodeString(b64)
	sig, err2 := base64.RawURLEncoding.DecodeString(sig64)
	if err1 != nil || err2 != nil || len(sig) != ed25519.SignatureSize {
		return c, nil, bad
	}
	signed := false
	for _, k := range branchKeys {
		signed = signed || ed25519.Verify(k, body, sig)
	}
	if !signed {
		return c, nil, bad
	}
	if err := json.Unmarshal(body, &c); err != nil || c.Schema != models.CredentialSchema {
		return c, nil, bad
	}
	key, err := base64.StdEncoding.DecodeString(c.PublicKey)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return c, nil, bad
	}
	if !now.Before(c.ExpiresAt) {
		return c, nil, models.Errorf(models.ECREDEXPIRE, "the credential of %s expired at %s: the outlet fetches a new one from its branch",
			c.Outlet, c.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return c, ed25519.PublicKey(key), nil
}

// ParseKey reads a base64 Ed25519 public key, as 'harbor branch
// gateway-key' prints it.
func ParseKey(s string) (ed25519.PublicKey, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, models.Errorf(models.EINVALID, "%q is not a base64 Ed25519 public key", s)
	}
	return ed25519.PublicKey(k), nil
}
