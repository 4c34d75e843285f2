package models

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// OutletProfile is the public profile an outlet sends along with its
// reports, for the branch's outlet directory: where the station is, when it
// is open and what it offers. Nothing in it is about workers.
type OutletProfile struct {
	Name         string           `json:"name"`
	Address      string           `json:"address,omitempty"`
	OpeningHours string           `json:"opening_hours,omitempty"`
	Latitude     *float64         `json:"lat,omitempty"`
	Longitude    *float64         `json:"lng,omitempty"`
	Amenities    []ProfileAmenity `json:"amenities"`
}

// ProfileAmenity is one enabled amenity of a profile, named in both languages.
type ProfileAmenity struct {
	Code string `json:"code"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// Limits of a profile, checked where it is set and again by the branch.
const (
	ProfileNameMaxChars   = 60
	AddressMaxChars       = 120
	OpeningHoursMaxChars  = 80
	ProfileMaxAmenities   = 200
	AmenityNameZHMaxChars = 40
	AmenityNameENMaxChars = 60
	ProfileAmenityCodeMax = 32
)

// AmenityCodePattern is what an amenity code looks like, the catalog's and
// an outlet's own: a lowercase letter, then 1-31 of a-z, 0-9 and _.
var AmenityCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,31}$`)

// Roles of branch console accounts: admins also manage accounts and API
// tokens; viewers read every page and export.
const (
	RoleAdmin  = "admin"
	RoleViewer = "viewer"
)

// BranchRoles lists the branch console's roles.
var BranchRoles = []string{RoleAdmin, RoleViewer}

// ParseCoordinates reads a latitude and longitude in decimal degrees.
func ParseCoordinates(lat, lng string) (float64, float64, error) {
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lng), 64)
	if err1 != nil || err2 != nil {
		return 0, 0, Errorf(EINVALID, "坐标请填写十进制度数，如 32.6295 / give decimal degrees, e.g. 32.6295")
	}
	return la, lo, CheckCoordinates(la, lo)
}

// CheckCoordinates requires a real place: latitude -90..90, longitude -180..180.
func CheckCoordinates(lat, lng float64) error {
	if math.IsNaN(lat) || math.IsNaN(lng) || lat < -90 || lat > 90 || lng < -180 || lng > 180 {
		return Errorf(EINVALID, "纬度需在 -90 到 90、经度在 -180 到 180 之间 / latitude must be -90..90 and longitude -180..180")
	}
	return nil
}

// UnspecifiedCategory is the category of check-ins where the worker chose
// none; reports carry it so that categories add up to the check-ins.
const UnspecifiedCategory = "unspecified"

// CategoryNamed names a worker category code, "unspecified" and codes
// this binary does not know included.
func CategoryNamed(code string) Category {
	if c, ok := CategoryByCode(code); ok {
		return c
	}
	if code == UnspecifiedCategory {
		return Category{Code: code, ZH: "未选择", EN: "Not chosen"}
	}
	return Category{Code: code, ZH: code, EN: code}
}
