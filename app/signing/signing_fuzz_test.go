package signing

import (
	"crypto/ed25519"
	"testing"
	"time"

	"harbor/models"
)

// FuzzSignatureHeader: no header panics Parse or Verify; anything but the
// genuine header is rejected as bad_signature or clock_skew.
func FuzzSignatureHeader(f *testing.F) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	now := time.Unix(1764115200, 0)
	body := []byte(`{"schema":"harbor.report/v1"}`)
	good := Sign(priv, now, body)
	for _, seed := range []string{good, "", "t=1,sig=", "sig=x,t=1", "t=1764115200,sig=" + good[len(good)-86:],
		"t=1764115200,sig=AAAA,t=2", "t=-5,sig=AAAA", "t=99999999999999999999,sig=AAAA", "t=1764115200;sig=AAAA",
		" t = 1 , sig = x ", "t=1764115200,sig=" + good[20:] + "==", "t=0x10,sig=AA"} {
		f.Add(seed, body)
	}
	f.Fuzz(func(t *testing.T, header string, msg []byte) {
		err := Verify(pub, header, msg, now)
		if err == nil {
			ts, sig, _ := Parse(header)
			wantTS, wantSig, _ := Parse(good)
			if ts != wantTS || string(sig) != string(wantSig) || string(msg) != string(body) {
				t.Fatalf("accepted a header that was never signed: %q over %q", header, msg)
			}
			return
		}
		if c := models.ErrorCode(err); c != models.EBADSIG && c != models.ESKEW {
			t.Fatalf("Verify(%q): unexpected error %v", header, err)
		}
	})
}
