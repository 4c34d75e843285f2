package signing

import (
	"crypto/hmac"
	"crypto/sha256"
)

// DeriveKey is a key for purpose (e.g. "login forms") derived from a
// role's secret: the same across restarts, and never the secret itself.
func DeriveKey(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("harbor derived key\x00" + purpose))
	return m.Sum(nil)
}
