package outlet

import (
	"context"
	"time"

	"harbor/app/pull"
	"harbor/models"
)

// StationSheet is what the public gateway needs to show this station's
// pages and check its codes (models.StationSheet): the profile, the
// amenities in order with the top ones, and the digests of the printed
// codes of the current poster version and the few before it. The QR
// secret stays here.
func (s *Service) StationSheet(ctx context.Context) (models.StationSheet, error) {
	p := s.Profile()
	top, err := s.TopAmenities(ctx)
	if err != nil {
		return models.StationSheet{}, err
	}
	place, err := s.Place(ctx)
	if err != nil {
		return models.StationSheet{}, err
	}
	sh := models.StationSheet{Schema: models.SheetSchema, Outlet: p.Code, Name: p.Name, TimeZone: s.cfg.TimeZone,
		OpeningHours: p.OpeningHours, Address: place.Address, Latitude: place.Latitude, Longitude: place.Longitude,
		DedupeSeconds: int(s.cfg.DedupeWindow / time.Second), Top: top, PosterVersion: p.PosterVersion,
		Amenities: make([]models.SheetAmenity, len(p.Amenities))}
	for i, a := range p.Amenities {
		sh.Amenities[i] = models.SheetAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN, Group: a.Group, Icon: a.Icon}
	}
	for v := p.PosterVersion; v >= 1 && v > p.PosterVersion-pull.PosterVersions; v-- {
		d := models.PosterDigests{Version: v, Digests: map[string]string{"": pull.TokenDigest(s.tokenOf(p, "", 'p', int64(v)))}}
		for _, a := range p.Amenities {
			d.Digests[a.Code] = pull.TokenDigest(s.tokenOf(p, a.Code, 'p', int64(v)))
		}
		sh.Posters = append(sh.Posters, d)
	}
	return sh, nil
}

// LiveDigests are the digests of the lobby display's codes from the
// previous window on, for the gateway to check scans of the screen.
func (s *Service) LiveDigests() models.LiveDigests {
	p := s.Profile()
	from := s.now().Unix()/int64(LiveWindow/time.Second) - 1
	d := models.LiveDigests{From: from, Digests: make([]string, pull.LiveWindows)}
	for i := range d.Digests {
		d.Digests[i] = pull.TokenDigest(s.tokenOf(p, "", 'l', from+int64(i)))
	}
	return d
}
