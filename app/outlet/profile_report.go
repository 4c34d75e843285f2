package outlet

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"unicode"

	"gorm.io/gorm"

	"harbor/models"
)

// The station's public profile travels to the branch with every report,
// for the branch's outlet directory: name, address, opening hours,
// coordinates and enabled amenities. Address and coordinates are settings
// managers set on the Amenities page (or --outlet-address/-lat/-lng).

// Settings keys of the station's place.
const (
	settingAddress = "outlet_address"
	settingLat     = "outlet_lat"
	settingLng     = "outlet_lng"
)

// Place is where the station is: its address and, when set, coordinates
// in decimal degrees.
type Place struct {
	Address   string
	Latitude  *float64
	Longitude *float64
}

// LatText and LngText write the coordinates for a form; "" when unset.
func (p Place) LatText() string { return floatText(p.Latitude) }
func (p Place) LngText() string { return floatText(p.Longitude) }

func floatText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// Place returns the station's address and coordinates.
func (s *Service) Place(ctx context.Context) (Place, error) {
	return readPlace(s.db.Read.WithContext(ctx))
}

func readPlace(q *gorm.DB) (Place, error) {
	var rows []struct{ Key, Value string }
	if err := q.Raw(`SELECT key, value FROM settings WHERE key IN (?, ?, ?)`,
		settingAddress, settingLat, settingLng).Scan(&rows).Error; err != nil {
		return Place{}, err
	}
	var p Place
	var lat, lng string
	for _, r := range rows {
		switch r.Key {
		case settingAddress:
			p.Address = r.Value
		case settingLat:
			lat = r.Value
		case settingLng:
			lng = r.Value
		}
	}
	if lat != "" && lng != "" {
		if la, lo, err := models.ParseCoordinates(lat, lng); err == nil {
			p.Latitude, p.Longitude = &la, &lo
		}
	}
	return p, nil
}

// SetPlace sets the station's address and coordinates (lat and lng as
// decimal-degree text, both empty to remove them). The running day is
// marked changed, so the branch's directory gets the place with the next
// report.
func (s *Service) SetPlace(ctx context.Context, address, lat, lng string) error {
	address = strings.Join(strings.Fields(address), " ")
	if n := len([]rune(address)); n > models.AddressMaxChars || !models.PlainText(address) {
		return models.Errorf(models.EINVALID, "地址最多 %d 个字，不含控制字符 / an address has at most %d characters, no control characters",
			models.AddressMaxChars, models.AddressMaxChars)
	}
	lat, lng = strings.TrimSpace(lat), strings.TrimSpace(lng)
	if (lat == "") != (lng == "") {
		return models.Errorf(models.EINVALID, "请同时填写纬度和经度，或都不填 / give both latitude and longitude, or neither")
	}
	if lat != "" {
		la, lo, err := models.ParseCoordinates(lat, lng)
		if err != nil {
			return err
		}
		lat, lng = strconv.FormatFloat(la, 'f', -1, 64), strconv.FormatFloat(lo, 'f', -1, 64)
	}
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for k, v := range map[string]string{settingAddress: address, settingLat: lat, settingLng: lng} {
			if err := setSetting(tx, k, v); err != nil {
				return err
			}
		}
		return s.markProfileChanged(tx)
	})
}

// ApplyPlace sets what the --outlet-address, --outlet-lat and
// --outlet-lng flags give, keeping what they leave empty.
func (s *Service) ApplyPlace(ctx context.Context, address, lat, lng string) error {
	if address == "" && lat == "" {
		return nil
	}
	cur, err := s.Place(ctx)
	if err != nil {
		return err
	}
	if address == "" {
		address = cur.Address
	}
	if lat == "" {
		lat, lng = cur.LatText(), cur.LngText()
	}
	return s.SetPlace(ctx, address, lat, lng)
}

// markProfileChanged marks the running day changed, inside tx, so that
// the next report carries the new profile to the branch.
func (s *Service) markProfileChanged(tx *gorm.DB) error {
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	return MarkDirty(tx, today)
}

// reportProfile is the public profile a report carries, or nil when the
// place cannot be read (the next report brings it). Text is cut to the
// branch's limits, so that a profile never stops a report.
func (s *Service) reportProfile(q *gorm.DB) *models.OutletProfile {
	place, err := readPlace(q)
	if err != nil {
		slog.Warn("report: read the station's place", "err", err)
		return nil
	}
	p := s.Profile()
	out := &models.OutletProfile{Name: clean(p.Name, models.ProfileNameMaxChars),
		Address: clean(place.Address, models.AddressMaxChars), OpeningHours: clean(p.OpeningHours, models.OpeningHoursMaxChars),
		Latitude: place.Latitude, Longitude: place.Longitude, Amenities: []models.ProfileAmenity{}}
	for _, a := range p.Amenities {
		if len(out.Amenities) < models.ProfileMaxAmenities {
			out.Amenities = append(out.Amenities, models.ProfileAmenity{Code: a.Code,
				ZH: clean(a.ZH, models.AmenityNameZHMaxChars), EN: clean(a.EN, models.AmenityNameENMaxChars)})
		}
	}
	return out
}

// clean drops control characters and keeps at most max characters.
func clean(s string, max int) string {
	r := []rune(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s))
	if len(r) > max {
		r = r[:max]
	}
	return string(r)
}

// profileChanged follows a change of amenities or opening hours: the
// cached profile is reloaded, then the running day marked changed, so
// that the snapshot the mark leads to sees the new profile.
func (s *Service) profileChanged(ctx context.Context) error {
	if err := s.reloadProfile(ctx); err != nil {
		return err
	}
	return s.markProfileChanged(s.db.Write.WithContext(ctx))
}
