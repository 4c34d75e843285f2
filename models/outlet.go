package models

// Amenity is one amenity an outlet offers (table amenities).
type Amenity struct {
	Code     string `gorm:"primaryKey" json:"code"`
	ZH       string `json:"zh"`
	EN       string `json:"en"`
	Group    string `gorm:"column:grp" json:"group"`
	Icon     string `json:"icon"`
	Custom   bool   `json:"custom"`
	Enabled  bool   `json:"enabled"`
	Pinned   bool   `json:"pinned,omitempty"` // shown first on the station page
	Position int    `json:"-"`
}

// Name returns the amenity's name in lang ("zh" or "en").
func (a Amenity) Name(lang string) string {
	if lang == "en" {
		return a.EN
	}
	return a.ZH
}

// CheckIn is one recorded visit (table checkins). At is unix milliseconds UTC.
type CheckIn struct {
	ID       int64
	At       int64
	Day      string
	Hour     int
	Channel  string
	Category string
	Visitor  *string
	People   int
	Staff    *string
}

// CheckInAmenity is one amenity used in a visit (table checkin_amenities).
type CheckInAmenity struct {
	CheckInID int64  `gorm:"column:checkin_id;primaryKey"`
	Amenity   string `gorm:"primaryKey"`
	Day       string
	At        int64
	Visitor   *string
	People    int
}

// TableName keeps GORM on the migration's table names.
func (CheckIn) TableName() string        { return "checkins" }
func (CheckInAmenity) TableName() string { return "checkin_amenities" }

// Profile is the outlet's public profile.
type Profile struct {
	Code          string `json:"code"`
	Name          string `json:"name"`
	TimeZone      string `json:"timezone"`
	PosterVersion int    `json:"-"`
	// PosterReplacedAt is when PosterVersion was last bumped (unix ms; 0
	// never).
	PosterReplacedAt int64     `json:"-"`
	OpeningHours     string    `json:"opening_hours,omitempty"`
	Amenities        []Amenity `json:"amenities"`
	// Hours are OpeningHours as read: which check-ins came off hours.
	Hours Schedule `json:"-"`
}
