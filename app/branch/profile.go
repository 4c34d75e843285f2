package branch

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/models"
)

// checkProfile checks the public profile a report carries: lengths,
// printable text, coordinates and amenity codes.
func checkProfile(p *models.OutletProfile) error {
	texts := []textField{
		{"profile.name", p.Name, 1, models.ProfileNameMaxChars},
		{"profile.address", p.Address, 0, models.AddressMaxChars},
		{"profile.opening_hours", p.OpeningHours, 0, models.OpeningHoursMaxChars},
	}
	if (p.Latitude == nil) != (p.Longitude == nil) {
		return models.Errorf(models.EINVALID, "profile: give lat and lng together, or neither")
	}
	if p.Latitude != nil {
		if err := models.CheckCoordinates(*p.Latitude, *p.Longitude); err != nil {
			return models.Errorf(models.EINVALID, "profile.lat/lng: %s", strings.TrimPrefix(err.Error(), models.EINVALID+": "))
		}
	}
	if len(p.Amenities) > models.ProfileMaxAmenities {
		return models.Errorf(models.EINVALID, "profile.amenities: at most %d", models.ProfileMaxAmenities)
	}
	codes := make([]string, len(p.Amenities))
	for i, a := range p.Amenities {
		codes[i] = a.Code
		texts = append(texts,
			textField{fmt.Sprintf("profile.amenities[%d].zh", i), a.ZH, 1, models.AmenityNameZHMaxChars},
			textField{fmt.Sprintf("profile.amenities[%d].en", i), a.EN, 0, models.AmenityNameENMaxChars})
	}
	for _, t := range texts {
		if err := t.check(); err != nil {
			return err
		}
	}
	return checkAmenityCodes("profile.amenities", codes)
}

// textField is a text of a profile and its length bounds, in characters.
type textField struct {
	field, value string
	min, max     int
}

// check requires min..max printable characters.
func (t textField) check() error {
	n := utf8.RuneCountInString(t.value)
	if n < t.min || n > t.max {
		return models.Errorf(models.EINVALID, "%s: give %d-%d characters, not %d", t.field, t.min, t.max, n)
	}
	if !models.PlainText(t.value) {
		return models.Errorf(models.EINVALID, "%s: control characters are not allowed", t.field)
	}
	return nil
}

// saveProfiles keeps each outlet's newest profile of write, unless a
// profile made later is stored already (old days can arrive after new
// ones). Of two profiles made at the same time, the later push wins.
func saveProfiles(tx *gorm.DB, write []*pending, now int64) error {
	newest := map[string]int{} // outlet → index in rows
	var rows [][]any
	for _, p := range write {
		r, pr := p.r, p.r.Profile
		if pr == nil {
			continue
		}
		made, err := time.Parse(time.RFC3339, r.GeneratedAt)
		if err != nil {
			return err
		}
		amenities, err := json.Marshal(pr.Amenities)
		if err != nil {
			return err
		}
		if pr.Amenities == nil {
			amenities = []byte("[]")
		}
		row := []any{r.Outlet, pr.Name, pr.Address, pr.OpeningHours, r.TimeZone, pr.Latitude, pr.Longitude,
			string(amenities), made.UnixMilli(), now}
		if i, ok := newest[r.Outlet]; ok {
			if rows[i][8].(int64) <= made.UnixMilli() {
				rows[i] = row
			}
			continue
		}
		newest[r.Outlet] = len(rows)
		rows = append(rows, row)
	}
	_, err := insertRows(tx, `outlet_profiles(outlet, name, address, opening_hours, timezone, lat, lng,
		amenities, generated_at, updated_at)`, rows, `ON CONFLICT(outlet) DO UPDATE SET name = excluded.name,
		address = excluded.address, opening_hours = excluded.opening_hours, timezone = excluded.timezone,
		lat = excluded.lat, lng = excluded.lng, amenities = excluded.amenities,
		generated_at = excluded.generated_at, updated_at = excluded.updated_at
		WHERE outlet_profiles.generated_at <= excluded.generated_at`)
	return err
}
