package gateway

import (
	"context"
	"time"

	"harbor/app/directory"
	"harbor/models"
)

// The gateway's station directory (/directory, /api/v1/directory): the
// stations it serves, from their sheets, each outlet's public profile as
// it sent it. Workers off the bank's network can reach only this one.

// entries lists the stations whose pages are served, by name.
func (s *Service) entries() []directory.Entry {
	var out []directory.Entry
	now := s.now().UnixMilli()
	for _, o := range s.stations.all() {
		v := o.view.Load()
		if v == nil || now >= o.servesUntil.Load() {
			continue
		}
		p := v.profile
		amenities := make([]models.ProfileAmenity, len(p.Amenities))
		for i, a := range p.Amenities {
			amenities[i] = models.ProfileAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN}
		}
		out = append(out, directory.NewEntry(p.Code, p.Name, v.address, p.OpeningHours, p.TimeZone,
			v.lat, v.lng, amenities, time.UnixMilli(v.at)))
	}
	directory.SortByName(out)
	return out
}

// Directory answers q.
func (s *Service) Directory(_ context.Context, q directory.Query) (directory.Page, error) {
	return directory.Select(s.entries(), q, s.now()), nil
}

// DirectoryAmenities lists the amenities some station offers.
func (s *Service) DirectoryAmenities(context.Context) ([]models.ProfileAmenity, error) {
	return directory.Amenities(s.entries()), nil
}

// DirectoryDistricts lists the stations' districts, by name.
func (s *Service) DirectoryDistricts(context.Context) ([]string, error) {
	return directory.Districts(s.entries()), nil
}
