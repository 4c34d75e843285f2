package models

// ReportSchema names version 1 of the daily report document.
const ReportSchema = "harbor.report/v1"

// Report is the daily report document an outlet sends its branch
// (DESIGN.md "Report protocol"): aggregates only, never visitor ids.
type Report struct {
	Schema      string           `json:"schema"`
	Outlet      string           `json:"outlet"`
	Day         string           `json:"day"`
	TimeZone    string           `json:"timezone"`
	Revision    int              `json:"revision"`
	Final       bool             `json:"final"`
	GeneratedAt string           `json:"generated_at"`
	Totals      ReportTotals     `json:"totals"`
	Amenities   []AmenityCount   `json:"amenities"`
	Categories  []CategoryCount  `json:"categories"`
	Channels    ChannelCounts    `json:"channels"`
	Hours       [24]int          `json:"hours"`
	Feedback    *FeedbackCounts  `json:"feedback,omitempty"`
	Activities  []ActivityReport `json:"activities,omitempty"`
	// Profile is the outlet's public profile as the report was made; the
	// branch keeps the newest one for its outlet directory.
	Profile *OutletProfile `json:"profile,omitempty"`
	// Coverage is how many minutes of each local hour the outlet was
	// serving, from its heartbeat; absent when it cannot tell (an older
	// outlet, or a day before it kept a heartbeat).
	Coverage *[24]int `json:"coverage,omitempty"`
	// Signals are aggregates the branch judges against the network; absent
	// from older outlets.
	Signals *Signals `json:"signals,omitempty"`
	// Paths split the phone check-ins (live and poster) by the way they
	// came; absent when none came through the public gateway.
	Paths *PathCounts `json:"paths,omitempty"`
}

// PathCounts split a day's phone check-ins: made on the outlet's own pages
// (phones on its Wi-Fi) or taken by the public gateway (docs/GATEWAY.md).
// The gateway's visitor cookie is its own, so a worker who used both on
// one day counts as a visitor on each.
type PathCounts struct {
	Local   int `json:"local"`
	Gateway int `json:"gateway"`
}

// Signals are a day's figures that tell honest traffic from inflated
// traffic, counted over phone check-ins (channels live and poster): staff
// record assisted visits, whose share is a signal of its own.
type Signals struct {
	// Cookieless check-ins came without the cookie the station page sets;
	// they are deduplicated by client address and browser instead.
	Cookieless int `json:"cookieless"`
	// OffHours check-ins came while the opening hours said closed.
	OffHours int `json:"off_hours"`
	// BusiestMinute is the most check-ins in one minute, at BusiestAt
	// (local HH:MM; empty on a day without check-ins).
	BusiestMinute int    `json:"busiest_minute"`
	BusiestAt     string `json:"busiest_minute_at,omitempty"`
	// BurstCheckIns came in minutes with more than BurstLimit check-ins.
	BurstLimit    int `json:"burst_limit"`
	BurstCheckIns int `json:"burst_checkins"`
	// TopAddress is the check-ins from the day's busiest client address
	// (the address itself never leaves the outlet).
	TopAddress int `json:"top_address"`
}

// ReportTotals are the day's check-ins and unique visitors.
type ReportTotals struct {
	CheckIns int `json:"checkins"`
	Visitors int `json:"visitors"`
}

// AmenityCount is one amenity's figures for a day.
type AmenityCount struct {
	Code     string `json:"code"`
	CheckIns int    `json:"checkins"`
	Visitors int    `json:"visitors"`
}

// CategoryCount is one worker category's check-ins for a day.
type CategoryCount struct {
	Code     string `json:"code"`
	CheckIns int    `json:"checkins"`
}

// ChannelCounts splits a day's check-ins by how they were made.
type ChannelCounts struct {
	Live     int `json:"live"`
	Poster   int `json:"poster"`
	Assisted int `json:"assisted"`
}

// FeedbackCounts are the day's feedback figures.
type FeedbackCounts struct {
	Received int `json:"received"`
	Resolved int `json:"resolved"`
	Open     int `json:"open"`
	// ResolvedAfter groups the day's resolutions by their age: how many
	// local days after the day it was received each was resolved, sorted
	// by days, adding up to Resolved. Absent from older outlets (and on a
	// day nothing was resolved), whose feedback the branch judges first in,
	// first out (docs/BULLETIN.md).
	ResolvedAfter []FeedbackAge `json:"resolved_after,omitempty" gorm:"-"`
}

// FeedbackAge is how many of a day's resolutions came Days local days
// after the day their feedback was received.
type FeedbackAge struct {
	Days  int `json:"days"`
	Count int `json:"count"`
}

// Bounds of FeedbackCounts.ResolvedAfter: an age is at most about ten
// years, and a day lists at most MaxFeedbackAges ages. An outlet whose day
// does not fit sends no ages for it.
const (
	MaxFeedbackAgeDays = 3660
	MaxFeedbackAges    = 1000
)

// ActivityReport is one education activity held that day.
type ActivityReport struct {
	Theme        string `json:"theme"`
	Venue        string `json:"venue"`
	Participants int    `json:"participants"`
}
