package models

// Roles of outlet staff accounts: managers also manage accounts, amenities
// and posters; staff do the daily work.
const (
	RoleManager = "manager"
	RoleStaff   = "staff"
)

// OutletRoles lists the outlet console's roles.
var OutletRoles = []string{RoleManager, RoleStaff}

// Limits of what workers and staff may type.
const (
	FeedbackMaxChars = 500
	NoteMaxChars     = 200
	ThemeMaxChars    = 60
	// MaxParticipants bounds an activity's participants (the outlet's CHECK).
	MaxParticipants = 100000
)

// Feedback is one worker's feedback (table feedback). At and ResolvedAt are
// unix milliseconds UTC; Day and ResolvedDay are local days.
type Feedback struct {
	ID          int64   `json:"id"`
	At          int64   `json:"at"`
	Day         string  `json:"day"`
	Rating      int     `json:"rating"`
	Amenity     string  `json:"amenity,omitempty"`
	Text        string  `json:"text"`
	ResolvedAt  *int64  `json:"resolved_at,omitempty"`
	ResolvedDay *string `json:"resolved_day,omitempty"`
	ResolvedBy  *string `json:"resolved_by,omitempty"`
	Note        string  `json:"note,omitempty"`
}

// TableName keeps GORM on the migration's table name.
func (Feedback) TableName() string { return "feedback" }

// Activity is one education activity (金融知识宣教) staff held (table activities).
type Activity struct {
	ID           int64  `json:"id"`
	Day          string `json:"day"`
	Theme        string `json:"theme"`
	Venue        string `json:"venue"`
	Participants int    `json:"participants"`
	Staff        string `json:"staff"`
	CreatedAt    int64  `json:"-"`
}

// TableName keeps GORM on the migration's table name.
func (Activity) TableName() string { return "activities" }

// Venue is a kind of place where an activity was held.
type Venue struct {
	Code string
	ZH   string
	EN   string
}

// Venues lists the activity venue types in display order.
var Venues = []Venue{
	{"community", "社区", "Community"},
	{"factory", "企业/工厂", "Factory"},
	{"school", "学校", "School"},
	{"rural", "农村服务点", "Rural service point"},
	{"outlet", "网点厅堂", "Outlet"},
}

// VenueByCode returns the venue type with the given code.
func VenueByCode(code string) (Venue, bool) {
	for _, v := range Venues {
		if v.Code == code {
			return v, true
		}
	}
	return Venue{}, false
}
