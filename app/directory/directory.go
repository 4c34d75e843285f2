// Package directory is the public station directory both the branch and
// the public gateway serve (/directory, /api/v1/directory): its entries,
// the query that selects and orders them, and how a district is read from
// an address. Where the entries come from is each role's: the branch reads
// the profiles outlets send with their reports, the gateway the outlets'
// station sheets.
package directory

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"harbor/models"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// MaxText bounds the text a search matches.
const MaxText = 40

// Entry is one station of the directory.
type Entry struct {
	Code         string                  `json:"code"`
	Name         string                  `json:"name"`
	Address      string                  `json:"address,omitempty"`
	District     string                  `json:"district,omitempty"` // read from the address, e.g. 茅箭区
	OpeningHours string                  `json:"opening_hours,omitempty"`
	OpenNow      *bool                   `json:"open_now"` // null when the hours cannot be read
	TimeZone     string                  `json:"timezone"`
	Latitude     *float64                `json:"lat,omitempty"`
	Longitude    *float64                `json:"lng,omitempty"`
	DistanceM    *int                    `json:"distance_m,omitempty"`
	Amenities    []models.ProfileAmenity `json:"amenities"`
	UpdatedAt    time.Time               `json:"updated_at"`

	hours models.Schedule
	loc   *time.Location
}

// NewEntry makes an entry; its district is read from the address and its
// opening hours in its zone (UTC when the zone is unknown).
func NewEntry(code, name, address, openingHours, zone string, lat, lng *float64,
	amenities []models.ProfileAmenity, updated time.Time) Entry {
	e := Entry{Code: code, Name: name, Address: address, District: District(address), OpeningHours: openingHours,
		TimeZone: zone, Latitude: lat, Longitude: lng, Amenities: amenities, UpdatedAt: updated.UTC(),
		hours: models.ParseHours(openingHours), loc: time.UTC}
	if loc, err := time.LoadLocation(zone); err == nil {
		e.loc = loc
	}
	return e
}

// Offers reports whether the station offers amenity code.
func (e Entry) Offers(code string) bool {
	for _, a := range e.Amenities {
		if a.Code == code {
			return true
		}
	}
	return false
}

// Query selects and orders stations: by distance from Lat/Lng when given
// (stations without coordinates last), else by name. District keeps the
// stations of one district; Text those whose name or address contains it
// (a street, a landmark).
type Query struct {
	Lat, Lng      *float64
	Amenity       string
	District      string
	Text          string
	Offset, Limit int
}

// Page is one page of matching stations.
type Page struct {
	Total    int     `json:"total"`
	Offset   int     `json:"offset"`
	Limit    int     `json:"limit"`
	Stations []Entry `json:"stations"`
}

// SortByName orders entries by name, then code: the order Select keeps
// when the query gives no place.
func SortByName(entries []Entry) {
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Name != entries[j].Name {
			return entries[i].Name < entries[j].Name
		}
		return entries[i].Code < entries[j].Code
	})
}

// Select answers q from all (sorted by name), at now.
func Select(all []Entry, q Query, now time.Time) Page {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var match []Entry
	for _, e := range all {
		if (q.Amenity != "" && !e.Offers(q.Amenity)) || (q.District != "" && e.District != q.District) ||
			(text != "" && !strings.Contains(strings.ToLower(e.Name+" "+e.Address), text)) {
			continue
		}
		if open, known := e.hours.OpenAt(now.In(e.loc)); known {
			e.OpenNow = &open
		}
		if q.Lat != nil && q.Lng != nil && e.Latitude != nil {
			d := int(math.Round(Haversine(*q.Lat, *q.Lng, *e.Latitude, *e.Longitude)))
			e.DistanceM = &d
		}
		match = append(match, e)
	}
	if q.Lat != nil && q.Lng != nil {
		sort.SliceStable(match, func(i, j int) bool { return closer(match[i], match[j]) })
	}
	if q.Limit <= 0 || q.Limit > MaxLimit {
		q.Limit = DefaultLimit
	}
	q.Offset = min(max(q.Offset, 0), len(match))
	end := min(q.Offset+q.Limit, len(match))
	return Page{Total: len(match), Offset: q.Offset, Limit: q.Limit,
		Stations: append([]Entry{}, match[q.Offset:end]...)}
}

// closer orders by distance; stations without coordinates come last.
func closer(a, b Entry) bool {
	switch {
	case a.DistanceM == nil || b.DistanceM == nil:
		return a.DistanceM != nil && b.DistanceM == nil
	default:
		return *a.DistanceM < *b.DistanceM
	}
}

// earthRadiusM is the mean radius of the earth.
const earthRadiusM = 6371008.8

// Haversine is the great-circle distance in metres between two points
// given in decimal degrees.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Amenities lists the amenities some station offers: the catalog's in
// catalog order, then the outlets' own by code.
func Amenities(entries []Entry) []models.ProfileAmenity {
	offered := map[string]models.ProfileAmenity{}
	for _, e := range entries {
		for _, a := range e.Amenities {
			offered[a.Code] = a
		}
	}
	var out, custom []models.ProfileAmenity
	for _, a := range models.Catalog {
		if _, ok := offered[a.Code]; ok {
			out = append(out, models.ProfileAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN})
			delete(offered, a.Code)
		}
	}
	for _, a := range offered {
		custom = append(custom, a)
	}
	sort.Slice(custom, func(i, j int) bool { return custom[i].Code < custom[j].Code })
	return append(out, custom...)
}

// Districts lists the districts of the stations, by name.
func Districts(entries []Entry) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range entries {
		if e.District != "" && !seen[e.District] {
			seen[e.District] = true
			out = append(out, e.District)
		}
	}
	sort.Strings(out)
	return out
}

// adminUnit is one leading administrative unit of a Chinese address:
// 湖北省, 十堰市, 茅箭区, 郧西县 ...
var adminUnit = regexp.MustCompile(`^\p{Han}{1,10}?(?:自治区|省|市|区|县|旗)`)

// District reads the district (区, 县 or 旗; else the city) an address
// starts with: "十堰市茅箭区北京中路 1 号" is in 茅箭区. An address that does
// not start with one has none.
func District(address string) string {
	rest, city, district := strings.TrimSpace(address), "", ""
	for {
		unit := adminUnit.FindString(rest)
		if unit == "" {
			break
		}
		rest = rest[len(unit):]
		switch {
		case strings.HasSuffix(unit, "市"):
			city = unit
		case strings.HasSuffix(unit, "区") || strings.HasSuffix(unit, "县") || strings.HasSuffix(unit, "旗"):
			if !strings.HasSuffix(unit, "自治区") {
				district = unit
			}
		}
	}
	if district == "" {
		return city
	}
	return district
}
