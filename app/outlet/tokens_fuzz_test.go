package outlet_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/models"
)

// FuzzVerifyToken: no input panics, every rejection is a specific error, and
// only tokens the outlet minted are accepted: the current poster or sticker
// token, the live code of this 30-second window or the one before, or a
// form ticket minted within its lifetime.
func FuzzVerifyToken(f *testing.F) {
	o := apptest.NewOutlet(f, apptest.OutletConfig(f))
	s := o.Svc
	code := s.Profile().Code
	now := o.Clock.Now()
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
		if outletCode != code {
			t.Fatalf("accepted a token for outlet %q", outletCode)
		}
		if !minted(o, now, amenity, tok) || g.Kind != tok[0] {
			t.Fatalf("accepted a token that was never minted: %q for %q (grant %+v)", tok, amenity, g)
		}
	})
}

// minted reports whether the outlet, its clock standing at now, mints tok
// for amenity: the poster or sticker token, the live code of now's window
// or the one before (station-wide), or the form ticket of the second tok
// names (the verifier checks that second's age).
func minted(o *apptest.Outlet, now time.Time, amenity, tok string) bool {
	s := o.Svc
	defer o.Clock.Set(now)
	switch {
	case tok == s.PosterToken(amenity), tok == s.LiveToken():
		return true
	case strings.HasPrefix(tok, "l"):
		o.Clock.Set(now.Add(-outlet.LiveWindow))
		return tok == s.LiveToken()
	case strings.HasPrefix(tok, "f"):
		sec, _, _ := strings.Cut(tok[1:], ".")
		n, err := strconv.ParseInt(sec, 10, 64)
		if err != nil {
			return false
		}
		o.Clock.Set(time.Unix(n, 0))
		return tok == s.FormTicket(amenity)
	}
	return false
}
