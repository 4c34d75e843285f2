package gateway

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"harbor/app/outlet"
	"harbor/app/pull"
	"harbor/models"
)

// The gateway checks a scanned code without the outlet's secret: a poster
// or sticker code against the digests of the sheet's poster versions, a
// lobby screen's code against the digests its outlet sent with its latest
// pull. After a scan of the screen the gateway gives the form a ticket of
// its own, which carries the screen's code along:
//
//	g<unix>.<window>.<screen code's mac>.<gateway mac>
//
// mac = HMAC-SHA256(gateway secret, "outlet|amenity|unix|window|screen
// mac"), 12 bytes, base64url. The inbox item carries the code scanned and
// when, and the outlet checks it again against its own secret.

// scan is what an item carries of the code that granted it: the code the
// worker scanned, and when.
type scan struct {
	token string
	at    time.Time
}

// VerifyToken checks tok for outlet code and amenity scope as the outlet
// would: ENOTFOUND for another station, ETOKEN for a forged, damaged or
// other station's code, EREPLACED for a replaced poster, EEXPIRED for an
// old screen code or ticket.
func (st *Station) VerifyToken(code, amenity, tok string) (outlet.Grant, error) {
	g, _, err := st.verify(code, amenity, tok)
	return g, err
}

func (st *Station) verify(code, amenity, tok string) (outlet.Grant, scan, error) {
	p := st.v.profile
	if code != p.Code {
		return outlet.Grant{}, scan{}, models.Errorf(models.ENOTFOUND, "no station with code %q here", truncate(code, 40))
	}
	now := st.s.now()
	if strings.HasPrefix(tok, "g") {
		return st.verifyTicket(code, amenity, tok, now)
	}
	kind, n, _, err := outlet.ParseToken(tok)
	if err != nil {
		return outlet.Grant{}, scan{}, err
	}
	switch kind {
	case 'p':
		digests := st.v.posters[int(n)]
		switch {
		case n > int64(p.PosterVersion):
			return outlet.Grant{}, scan{}, forged()
		case digests == nil && n < int64(st.v.oldest):
			// Older than the sheet names: cannot be told from a forgery,
			// and refused either way.
			return outlet.Grant{}, scan{}, replaced()
		case digests == nil || !hmac.Equal([]byte(digests[amenity]), []byte(pull.TokenDigest(tok))):
			return outlet.Grant{}, scan{}, forged()
		case n < int64(p.PosterVersion):
			return outlet.Grant{}, scan{}, replaced()
		}
		return outlet.Grant{Channel: models.ChannelPoster, Amenity: amenity, Kind: kind}, scan{tok, now}, nil
	case 'l':
		w := now.Unix() / int64(outlet.LiveWindow/time.Second)
		if n != w && n != w-1 {
			return outlet.Grant{}, scan{}, models.Errorf(models.EEXPIRED, "this screen code has expired; please scan the code on the screen again")
		}
		live := st.o.live.Load()
		if live == nil || n < live.From || n >= live.From+int64(len(live.Digests)) {
			return outlet.Grant{}, scan{}, models.Errorf(models.EUNAVAILABLE,
				"the screen's codes cannot be checked now (the station has not been in touch); please scan the poster")
		}
		if !hmac.Equal([]byte(live.Digests[n-live.From]), []byte(pull.TokenDigest(tok))) {
			return outlet.Grant{}, scan{}, forged()
		}
		return outlet.Grant{Channel: models.ChannelLive, Kind: kind}, scan{tok, now}, nil
	}
	return outlet.Grant{}, scan{}, forged()
}

func forged() error { return models.Errorf(models.ETOKEN, "this code is not valid for this station") }

func replaced() error {
	return models.Errorf(models.EREPLACED, "this code has been replaced; please scan the new poster")
}

// FormTicket is the ticket the form gets after a scan of the screen code
// scanned, for amenity ("" the station page).
func (st *Station) FormTicket(amenity, scanned string) string {
	_, w, mac, err := outlet.ParseToken(scanned)
	if err != nil {
		return ""
	}
	unix := strconv.FormatInt(st.s.now().Unix(), 10)
	ws := strconv.FormatInt(w, 10)
	return "g" + unix + "." + ws + "." + mac + "." + st.s.ticketMAC(st.o.code, amenity, unix, ws, mac)
}

func (s *Service) ticketMAC(code, amenity, unix, window, screenMAC string) string {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte(code + "|" + amenity + "|" + unix + "|" + window + "|" + screenMAC))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}

// verifyTicket checks a ticket FormTicket gave: its MAC, and its age
// against outlet.FormTicketTTL, as the outlet checks its own.
func (st *Station) verifyTicket(code, amenity, tok string, now time.Time) (outlet.Grant, scan, error) {
	damaged := models.Errorf(models.ETOKEN, "this code is incomplete or damaged")
	parts := strings.Split(tok[1:], ".")
	if len(tok) > 64 || len(parts) != 4 {
		return outlet.Grant{}, scan{}, damaged
	}
	unix, err1 := strconv.ParseInt(parts[0], 10, 64)
	w, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || unix < 0 || w < 0 || strconv.FormatInt(unix, 10) != parts[0] || strconv.FormatInt(w, 10) != parts[1] {
		return outlet.Grant{}, scan{}, damaged
	}
	want := st.s.ticketMAC(code, amenity, parts[0], parts[1], parts[2])
	if !hmac.Equal([]byte(parts[3]), []byte(want)) {
		return outlet.Grant{}, scan{}, forged()
	}
	if age := now.Sub(time.Unix(unix, 0)); age < -time.Minute || age > outlet.FormTicketTTL {
		return outlet.Grant{}, scan{}, models.Errorf(models.EEXPIRED, "this page has been open too long; please scan the code on the screen again")
	}
	return outlet.Grant{Channel: models.ChannelLive, Amenity: amenity, Kind: 'f'},
		scan{token: "l" + parts[1] + "." + parts[2], at: time.Unix(unix, 0)}, nil
}

// CookielessID is the visitor id of a check-in without the gateway's
// visitor cookie, as the outlet makes its own: HMAC(gateway secret,
// outlet, local day, address, browser).
func (st *Station) CookielessID(c outlet.Client) string {
	h := hmac.New(sha256.New, st.s.secret)
	h.Write([]byte("cookieless\x00" + st.o.code + "\x00" + st.localDay(st.s.now()) + "\x00" + c.Addr + "\x00" + c.UserAgent))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
}
