package branch

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"harbor/app/directory"
	"harbor/models"
)

// The public outlet directory: the newest profile each active outlet sent,
// cached for a short while so that a busy public page costs no queries.
// Selecting and ordering are app/directory's, shared with the gateway.

// directoryTTL bounds how stale the cache gets when another process (a
// second branch server on the same PostgreSQL) stores a profile.
const directoryTTL = 30 * time.Second

// The directory's entries, queries and pages (app/directory).
type (
	DirectoryEntry = directory.Entry
	DirectoryQuery = directory.Query
	DirectoryPage  = directory.Page
)

// MaxDirectoryText bounds the text a directory search matches.
const MaxDirectoryText = directory.MaxText

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
	return directory.Select(all, q, s.now()), nil
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
		var amenities []models.ProfileAmenity
		if err := json.Unmarshal([]byte(r.Amenities), &amenities); err != nil {
			return nil, err
		}
		entries = append(entries, directory.NewEntry(r.Outlet, r.Name, r.Address, r.OpeningHours, r.TimeZone,
			r.Lat, r.Lng, amenities, time.UnixMilli(r.UpdatedAt)))
	}
	directory.SortByName(entries)
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
	return directory.Amenities(entries), err
}

// DirectoryDistricts lists the districts of the listed stations, by name.
func (s *Service) DirectoryDistricts(ctx context.Context) ([]string, error) {
	entries, err := s.directoryEntries(ctx)
	return directory.Districts(entries), err
}
