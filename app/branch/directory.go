package branch

import (
	"context"
	"encoding/json"
	"math"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"harbor/models"
)

// The public outlet directory: the newest profile each active outlet sent,
// cached for a short while so that a busy public page costs no queries.

// directoryTTL bounds how stale the cache gets when another process (a
// second branch server on the same PostgreSQL) stores a profile.
const directoryTTL = 30 * time.Second

// Directory page sizes.
const (
	DirectoryDefaultLimit = 50
	DirectoryMaxLimit     = 500
)

// DirectoryEntry is one station of the directory.
type DirectoryEntry struct {
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

// Offers reports whether the station offers amenity code.
func (e DirectoryEntry) Offers(code string) bool {
	for _, a := range e.Amenities {
		if a.Code == code {
			return true
		}
	}
	return false
}

// DirectoryQuery selects and orders stations: by distance from Lat/Lng
// when given (stations without coordinates last), else by name. District
// keeps the stations of one district; Text those whose name or address
// contains it (a street, a landmark).
type DirectoryQuery struct {
	Lat, Lng      *float64
	Amenity       string
	District      string
	Text          string
	Offset, Limit int
}

// MaxDirectoryText bounds the text a directory search matches.
const MaxDirectoryText = 40

// DirectoryPage is one page of matching stations.
type DirectoryPage struct {
	Total    int              `json:"total"`
	Offset   int              `json:"offset"`
	Limit    int              `json:"limit"`
	Stations []DirectoryEntry `json:"stations"`
}

type directoryCache struct {
	mu      sync.Mutex
	at      time.Time
	entries []DirectoryEntry
}

func (c *directoryCache) invalidate() { c.mu.Lock(); c.entries = nil; c.mu.Unlock() }

// Directory answers q from the cached profiles.
func (s *Service) Directory(ctx context.Context, q DirectoryQuery) (DirectoryPage, error) {
	all, err := s.directoryEntries(ctx)
	if err != nil {
		return DirectoryPage{}, err
	}
	now := s.now()
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var match []DirectoryEntry
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
	if q.Limit <= 0 || q.Limit > DirectoryMaxLimit {
		q.Limit = DirectoryDefaultLimit
	}
	q.Offset = min(max(q.Offset, 0), len(match))
	end := min(q.Offset+q.Limit, len(match))
	return DirectoryPage{Total: len(match), Offset: q.Offset, Limit: q.Limit,
		Stations: append([]DirectoryEntry{}, match[q.Offset:end]...)}, nil
}

// closer orders by distance; stations without coordinates come last.
func closer(a, b DirectoryEntry) bool {
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

// directoryEntries returns every active outlet's profile by name, from
// the cache when it is fresh.
func (s *Service) directoryEntries(ctx context.Context) ([]DirectoryEntry, error) {
	c := &s.directory
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries != nil && time.Since(c.at) < directoryTTL {
		return c.entries, nil
	}
	var rows []struct {
		Outlet, Name, Address, OpeningHours, Amenities string
		TimeZone                                       string `gorm:"column:timezone"`
		Lat, Lng                                       *float64
		UpdatedAt                                      int64
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT p.outlet, p.name, p.address, p.opening_hours, p.timezone,
		p.lat, p.lng, p.amenities, p.updated_at FROM outlet_profiles p JOIN outlets o ON o.code = p.outlet
		WHERE o.status = ?`, StatusActive).Scan(&rows).Error; err != nil {
		return nil, err
	}
	entries := make([]DirectoryEntry, 0, len(rows))
	for _, r := range rows {
		e := DirectoryEntry{Code: r.Outlet, Name: r.Name, Address: r.Address, District: District(r.Address), OpeningHours: r.OpeningHours,
			TimeZone: r.TimeZone, Latitude: r.Lat, Longitude: r.Lng, UpdatedAt: time.UnixMilli(r.UpdatedAt).UTC(),
			hours: models.ParseHours(r.OpeningHours), loc: time.UTC}
		if loc, err := time.LoadLocation(r.TimeZone); err == nil {
			e.loc = loc
		}
		if err := json.Unmarshal([]byte(r.Amenities), &e.Amenities); err != nil {
			return nil, err
		}
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Name != entries[j].Name {
			return entries[i].Name < entries[j].Name
		}
		return entries[i].Code < entries[j].Code
	})
	c.entries, c.at = entries, time.Now()
	return entries, nil
}

// AmenityNames names every amenity code the branch may see: the standard
// catalog, and the outlets' own amenities from their profiles.
func (s *Service) AmenityNames(ctx context.Context) (map[string]models.ProfileAmenity, error) {
	out := map[string]models.ProfileAmenity{}
	entries, err := s.directoryEntries(ctx)
	for _, e := range entries {
		for _, a := range e.Amenities {
			out[a.Code] = a
		}
	}
	for _, a := range models.Catalog {
		out[a.Code] = models.ProfileAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN}
	}
	return out, err
}

// DirectoryAmenities lists the amenities some listed station offers: the
// catalog's in catalog order, then the outlets' own by code.
func (s *Service) DirectoryAmenities(ctx context.Context) ([]models.ProfileAmenity, error) {
	entries, err := s.directoryEntries(ctx)
	if err != nil {
		return nil, err
	}
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
	return append(out, custom...), nil
}

// DirectoryDistricts lists the districts of the listed stations, by name.
func (s *Service) DirectoryDistricts(ctx context.Context) ([]string, error) {
	entries, err := s.directoryEntries(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []string
	for _, e := range entries {
		if e.District != "" && !seen[e.District] {
			seen[e.District] = true
			out = append(out, e.District)
		}
	}
	sort.Strings(out)
	return out, nil
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
