package outlet

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"

	"harbor/models"
)

// QR tokens are short signed strings carried in kiosk URLs (?t=...):
//
//	p<version>.<mac>  printed poster or sticker, valid until the poster version is bumped
//	l<window>.<mac>   lobby display code, window = unix seconds / 30; the current
//	                  and the previous window are accepted
//	f<unix>.<mac>     form ticket minted when a live code is scanned, so the worker
//	                  has time to tick amenities; valid for FormTicketTTL
//
// mac = first 12 bytes of HMAC-SHA256(secret, "outlet|amenity|kind|number"),
// base64url: 16 characters. The URL format is a promise to printed posters.
const (
	LiveWindow    = 30 * time.Second
	FormTicketTTL = 15 * time.Minute
	macLen        = 16
	maxTokenLen   = 40
)

// Grant is what a verified token allows: a channel and the amenity scope
// ("" for the whole station).
type Grant struct {
	Channel string
	Amenity string
	Kind    byte
}

func (s *Service) mac(outlet, amenity string, kind byte, n int64) string {
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte(outlet + "|" + amenity + "|" + string(kind) + "|" + strconv.FormatInt(n, 10)))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:12])
}

func (s *Service) token(amenity string, kind byte, n int64) string {
	return s.tokenOf(s.Profile(), amenity, kind, n)
}

// tokenOf is the token of profile p's station.
func (s *Service) tokenOf(p *models.Profile, amenity string, kind byte, n int64) string {
	return string(kind) + strconv.FormatInt(n, 10) + "." + s.mac(p.Code, amenity, kind, n)
}

// PosterToken is the token printed on the current poster (amenity "") or sticker.
func (s *Service) PosterToken(amenity string) string {
	return s.token(amenity, 'p', int64(s.Profile().PosterVersion))
}

// LiveToken is the token the lobby display shows now.
func (s *Service) LiveToken() string {
	return s.token("", 'l', s.now().Unix()/int64(LiveWindow/time.Second))
}

// FormTicket is the token put in the form after a live code was scanned.
func (s *Service) FormTicket(amenity string) string {
	return s.token(amenity, 'f', s.now().Unix())
}

// VerifyToken checks tok for outlet code and amenity scope (amenity "" is the
// station page). It returns the grant, or an *models.Error: ETOKEN (forged,
// truncated, other outlet), EREPLACED (old poster), EEXPIRED (old live code).
func (s *Service) VerifyToken(outlet, amenity, tok string) (Grant, error) {
	return s.verifyToken(outlet, amenity, tok, s.now(), false)
}

// verifyToken is VerifyToken as of at. With scanned, tok was scanned at
// at (a gateway's item, applied later): a poster code of the version
// before the current one still counts when it was scanned before "Replace
// posters".
func (s *Service) verifyToken(outlet, amenity, tok string, at time.Time, scanned bool) (Grant, error) {
	p := s.Profile()
	if outlet != p.Code {
		return Grant{}, models.Errorf(models.ENOTFOUND, "no station with code %q here", outlet)
	}
	kind, n, mac, err := ParseToken(tok)
	if err != nil {
		return Grant{}, err
	}
	scope := amenity
	if kind == 'l' {
		scope = ""
	}
	want := s.mac(p.Code, scope, kind, n)
	if !hmac.Equal([]byte(mac), []byte(want)) {
		return Grant{}, models.Errorf(models.ETOKEN, "this code is not valid for this station")
	}
	now := at
	switch kind {
	case 'p':
		if scanned && n == int64(p.PosterVersion)-1 && at.UnixMilli() < p.PosterReplacedAt {
			return Grant{Channel: models.ChannelPoster, Amenity: amenity, Kind: kind}, nil
		}
		if n < int64(p.PosterVersion) {
			return Grant{}, models.Errorf(models.EREPLACED, "this code has been replaced; please scan the new poster")
		}
		if n > int64(p.PosterVersion) {
			return Grant{}, models.Errorf(models.ETOKEN, "this code is not valid for this station")
		}
		return Grant{Channel: models.ChannelPoster, Amenity: amenity, Kind: kind}, nil
	case 'l':
		w := now.Unix() / int64(LiveWindow/time.Second)
		if n != w && n != w-1 {
			return Grant{}, models.Errorf(models.EEXPIRED, "this screen code has expired; please scan the code on the screen again")
		}
		return Grant{Channel: models.ChannelLive, Amenity: "", Kind: kind}, nil
	case 'f':
		age := now.Sub(time.Unix(n, 0))
		if age < -time.Minute || age > FormTicketTTL {
			return Grant{}, models.Errorf(models.EEXPIRED, "this page has been open too long; please scan the code on the screen again")
		}
		return Grant{Channel: models.ChannelLive, Amenity: amenity, Kind: kind}, nil
	}
	return Grant{}, models.Errorf(models.ETOKEN, "this code is not valid for this station")
}

// ParseToken splits a token into its kind, number and MAC, or refuses it
// as incomplete or damaged. It checks nothing else.
func ParseToken(tok string) (kind byte, n int64, mac string, err error) {
	damaged := models.Errorf(models.ETOKEN, "this code is incomplete or damaged")
	if len(tok) < 3+macLen || len(tok) > maxTokenLen {
		return 0, 0, "", damaged
	}
	numStr, mac, ok := strings.Cut(tok[1:], ".")
	n, perr := strconv.ParseInt(numStr, 10, 64)
	if !ok || perr != nil || n < 0 || len(mac) != macLen || numStr != strconv.FormatInt(n, 10) {
		return 0, 0, "", damaged
	}
	return tok[0], n, mac, nil
}

// StationURL is the URL printed on QR codes for the station page (amenity
// "") or a sticker page, carrying token tok: at the public gateway when
// --public-url is set, else on this server (LocalStationURL).
func (s *Service) StationURL(amenity, tok string) string {
	if s.cfg.PublicURL != "" {
		return stationURL(s.cfg.PublicURL, s.Profile().Code, amenity, tok)
	}
	return s.LocalStationURL(amenity, tok)
}

// LocalStationURL is StationURL on this server (--base-url): the page
// phones on the outlet's Wi-Fi reach.
func (s *Service) LocalStationURL(amenity, tok string) string {
	return stationURL(s.cfg.BaseURL, s.Profile().Code, amenity, tok)
}

func stationURL(base, code, amenity, tok string) string {
	u := base + "/k/" + url.PathEscape(code)
	if amenity != "" {
		u += "/" + url.PathEscape(amenity)
	}
	return u + "?t=" + tok
}
