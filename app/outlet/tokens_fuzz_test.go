package outlet_test

import (
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/models"
)

// FuzzVerifyToken: no input panics, every rejection is a specific error, and
// only tokens the outlet minted are accepted.
func FuzzVerifyToken(f *testing.F) {
	o := apptest.NewOutlet(f, apptest.OutletConfig(f))
	s := o.Svc
	code := s.Profile().Code
	for _, seed := range []string{s.PosterToken(""), s.PosterToken("water"), s.LiveToken(), s.FormTicket(""),
		"", "p1.", "p1.AAAAAAAAAAAAAAAA", "l99999999999999999999.x", "f-1.AAAAAAAAAAAAAAAA", "p01.AAAAAAAAAAAAAAAA",
		"x1." + strings.Repeat("A", 16), "p1" + strings.Repeat(".", 30)} {
		f.Add(code, "", seed)
		f.Add(code, "water", seed)
	}
	f.Add("SY999", "", s.PosterToken(""))
	f.Fuzz(func(t *testing.T, outletCode, amenity, tok string) {
		g, err := s.VerifyToken(outletCode, amenity, tok)
		if err != nil {
			switch models.ErrorCode(err) {
			case models.ETOKEN, models.EREPLACED, models.EEXPIRED, models.ENOTFOUND:
			default:
				t.Fatalf("VerifyToken(%q, %q, %q): unexpected error %v", outletCode, amenity, tok, err)
			}
			return
		}
		minted := map[string]bool{s.PosterToken(amenity): true, s.FormTicket(amenity): true}
		for _, n := range []int64{0, -1} { // the live code now and the one before
			w := s.Now().Add(time.Duration(n)*30*time.Second).Unix() / 30
			minted["l"+itoa(w)+"."] = true
		}
		if outletCode != code {
			t.Fatalf("accepted a token for outlet %q", outletCode)
		}
		if g.Kind == 'p' && tok != s.PosterToken(amenity) {
			t.Fatalf("accepted a poster token that was never minted: %q for %q", tok, amenity)
		}
	})
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
