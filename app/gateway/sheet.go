package gateway

import (
	"encoding/base64"
	"time"
	"unicode/utf8"

	"harbor/app/pull"
	"harbor/models"
)

// stationView is what a station sheet gives the worker pages: the profile
// they render, the top amenities, and the digests codes are checked with.
// It is made once per sheet and shared by every request.
type stationView struct {
	digest   string // pull.SheetDigest of the sheet
	profile  *models.Profile
	top      []string
	loc      *time.Location
	dedupe   time.Duration
	posters  map[int]map[string]string // version → scope → digest
	oldest   int                       // the oldest poster version the sheet names
	address  string
	lat, lng *float64
	at       int64 // when the gateway took the sheet (unix ms)
}

// newView checks a sheet an outlet sent and makes its view. The sheet
// comes signed by the outlet, but it is still input: everything the pages
// show or the checks use is bounded and well formed.
func newView(code string, sh *models.StationSheet, at int64) (*stationView, error) {
	bad := func(format string, args ...any) error {
		return models.Errorf(models.EINVALID, "station sheet: "+format, args...)
	}
	switch {
	case sh.Schema != models.SheetSchema:
		return nil, models.Errorf(models.ESCHEMA, "station sheet: schema %q, want %q", sh.Schema, models.SheetSchema)
	case sh.Outlet != code:
		return nil, models.Errorf(models.EMISMATCH, "station sheet of outlet %q sent by %q", sh.Outlet, code)
	case !plain(sh.Name, models.ProfileNameMaxChars) || sh.Name == "":
		return nil, bad("name: 1 to %d characters, no control characters", models.ProfileNameMaxChars)
	case !plain(sh.OpeningHours, models.OpeningHoursMaxChars) || !plain(sh.Address, models.AddressMaxChars):
		return nil, bad("opening hours or address too long or with control characters")
	case sh.DedupeSeconds < 0 || sh.DedupeSeconds > 24*3600:
		return nil, bad("dedupe_seconds %d: 0 to 86400", sh.DedupeSeconds)
	case len(sh.Amenities) == 0 || len(sh.Amenities) > models.ProfileMaxAmenities:
		return nil, bad("1 to %d amenities", models.ProfileMaxAmenities)
	case sh.PosterVersion < 1 || len(sh.Posters) == 0 || len(sh.Posters) > pull.PosterVersions:
		return nil, bad("poster_version %d with 1 to %d versions of digests", sh.PosterVersion, pull.PosterVersions)
	case (sh.Latitude == nil) != (sh.Longitude == nil):
		return nil, bad("lat and lng go together")
	}
	if sh.Latitude != nil {
		if err := models.CheckCoordinates(*sh.Latitude, *sh.Longitude); err != nil {
			return nil, err
		}
	}
	loc, err := time.LoadLocation(sh.TimeZone)
	if err != nil || sh.TimeZone == "" || sh.TimeZone == "Local" {
		return nil, bad("timezone %q: an IANA zone", sh.TimeZone)
	}
	p := &models.Profile{Code: code, Name: sh.Name, TimeZone: sh.TimeZone, PosterVersion: sh.PosterVersion,
		OpeningHours: sh.OpeningHours, Hours: models.ParseHours(sh.OpeningHours), Amenities: make([]models.Amenity, len(sh.Amenities))}
	enabled := map[string]bool{}
	for i, a := range sh.Amenities {
		if !models.AmenityCodePattern.MatchString(a.Code) || enabled[a.Code] || a.ZH == "" || a.EN == "" ||
			!plain(a.ZH, models.AmenityNameZHMaxChars) || !plain(a.EN, models.AmenityNameENMaxChars) ||
			!plain(a.Group, 32) || !models.AmenityCodePattern.MatchString(a.Icon) {
			return nil, bad("amenity %d: a code like the catalog's, named in both languages, with a group and an icon", i+1)
		}
		enabled[a.Code] = true
		p.Amenities[i] = models.Amenity{Code: a.Code, ZH: a.ZH, EN: a.EN, Group: a.Group, Icon: a.Icon, Enabled: true, Position: i}
	}
	v := &stationView{digest: pull.SheetDigest(sh), profile: p, loc: loc, dedupe: time.Duration(sh.DedupeSeconds) * time.Second,
		posters: map[int]map[string]string{}, oldest: sh.PosterVersion, address: sh.Address, lat: sh.Latitude, lng: sh.Longitude, at: at}
	for _, code := range sh.Top {
		if !enabled[code] || len(v.top) >= len(p.Amenities) {
			return nil, bad("top amenity %q is not enabled", truncate(code, 40))
		}
		v.top = append(v.top, code)
	}
	for _, d := range sh.Posters {
		if d.Version < 1 || d.Version > sh.PosterVersion || v.posters[d.Version] != nil || len(d.Digests) > len(p.Amenities)+1 {
			return nil, bad("poster version %d: one set of digests per version up to the current one", d.Version)
		}
		for scope, digest := range d.Digests {
			if (scope != "" && !enabled[scope]) || !isDigest(digest) {
				return nil, bad("poster version %d: digests of the station and its enabled amenities only", d.Version)
			}
		}
		v.posters[d.Version] = d.Digests
		v.oldest = min(v.oldest, d.Version)
	}
	if v.posters[sh.PosterVersion] == nil {
		return nil, bad("no digests of the current poster version %d", sh.PosterVersion)
	}
	return v, nil
}

// checkLive checks the digests of the lobby display's next codes.
func checkLive(l *models.LiveDigests) error {
	if l.From < 1 || len(l.Digests) == 0 || len(l.Digests) > pull.LiveWindows {
		return models.Errorf(models.EINVALID, "live digests: from a window, 1 to %d digests", pull.LiveWindows)
	}
	for _, d := range l.Digests {
		if !isDigest(d) {
			return models.Errorf(models.EINVALID, "live digests: malformed digest")
		}
	}
	return nil
}

// isDigest tells a pull.TokenDigest.
func isDigest(d string) bool {
	b, err := base64.RawURLEncoding.DecodeString(d)
	return err == nil && len(b) == 16
}

// plain is a text of at most n characters without control characters.
func plain(s string, n int) bool {
	return utf8.RuneCountInString(s) <= n && models.PlainText(s)
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
