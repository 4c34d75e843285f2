// Package signing is the outlet → branch push signature (DESIGN.md "Report
// protocol"): Ed25519 over "<unix seconds>.<raw body>", sent as
//
//	X-Harbor-Outlet: SY001
//	X-Harbor-Signature: t=1764115200,sig=<base64url Ed25519 signature>
//
// It also derives the keys a role needs from its one secret (DeriveKey).
package signing

import (
	"crypto/ed25519"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"harbor/models"
)

// Header names of a signed push.
const (
	OutletHeader    = "X-Harbor-Outlet"
	SignatureHeader = "X-Harbor-Signature"
)

// MaxSkew is how far a push's timestamp may be from the branch's clock.
const MaxSkew = 5 * time.Minute

// Sign returns the X-Harbor-Signature value for body at time t.
func Sign(priv ed25519.PrivateKey, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	sig := ed25519.Sign(priv, message(ts, body))
	return "t=" + ts + ",sig=" + base64.RawURLEncoding.EncodeToString(sig)
}

func message(ts string, body []byte) []byte {
	m := make([]byte, 0, len(ts)+1+len(body))
	m = append(m, ts...)
	m = append(m, '.')
	return append(m, body...)
}

// Parse splits a signature header into its timestamp and signature. It
// rejects anything but exactly one t= and one sig= part.
func Parse(header string) (ts int64, sig []byte, err error) {
	bad := models.Errorf(models.EBADSIG, "malformed %s header: want t=<unix seconds>,sig=<base64url>", SignatureHeader)
	if len(header) == 0 || len(header) > 200 {
		return 0, nil, bad
	}
	var tsStr, sigStr string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		switch {
		case !ok:
			return 0, nil, bad
		case k == "t" && tsStr == "":
			tsStr = v
		case k == "sig" && sigStr == "":
			sigStr = v
		default:
			return 0, nil, bad
		}
	}
	ts, err = strconv.ParseInt(tsStr, 10, 64)
	if err != nil || ts <= 0 {
		return 0, nil, bad
	}
	sig, err = base64.RawURLEncoding.DecodeString(sigStr)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return 0, nil, bad
	}
	return ts, sig, nil
}

// Verify checks header against body and pub at time now: a malformed header
// or wrong signature is EBADSIG, a timestamp more than MaxSkew away ESKEW.
func Verify(pub ed25519.PublicKey, header string, body []byte, now time.Time) error {
	ts, sig, err := Parse(header)
	if err != nil {
		return err
	}
	if !ed25519.Verify(pub, message(strconv.FormatInt(ts, 10), body), sig) {
		return models.Errorf(models.EBADSIG, "signature does not match the outlet's key")
	}
	if skew := now.Sub(time.Unix(ts, 0)); skew > MaxSkew || skew < -MaxSkew {
		return models.Errorf(models.ESKEW, "clock skew: the push is timestamped %s, %s from the branch's clock (at most %s allowed); fix the outlet's clock",
			time.Unix(ts, 0).UTC().Format(time.RFC3339), skew.Round(time.Second).Abs(), MaxSkew)
	}
	return nil
}
