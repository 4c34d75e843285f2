package branch

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"harbor/models"
)

// MaxReportBody bounds a report document; a day of one outlet is a few KB.
const MaxReportBody = 256 << 10

// MaxCount bounds every count in a report, so that sums cannot overflow.
const MaxCount = 1_000_000_000

// Bounds of a report beyond its counts: what an outlet could send.
const (
	// MinReportDay is the first day a report may be for: harbor did not
	// run before it, and a day far in the past would only skew periods.
	MinReportDay = "2020-01-01"
	// MaxRevision bounds a revision (the revision columns are 32-bit).
	MaxRevision = 1_000_000_000
	// MaxRevisionJump bounds how far a push may go past the revision the
	// branch holds: an outlet adds one per change (a few a day), and a
	// revision of 2^62 would make every later real push "stale".
	MaxRevisionJump = 1_000_000
	// MaxReportAmenities bounds a day's amenities: the catalog's 45 and an
	// outlet's own, as many as its profile may list.
	MaxReportAmenities = models.ProfileMaxAmenities
)

// parseReport decodes and checks a report document sent by outlet at now.
// Every problem is an *models.Error naming what to fix.
func parseReport(body []byte, outlet string, now time.Time) (models.Report, error) {
	var r models.Report
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return r, models.Errorf(models.EINVALID, "malformed report: %s", models.JSONProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return r, models.Errorf(models.EINVALID, "malformed report: unexpected data after the object")
	}
	// [24]int silently drops or zero-fills: check the length as sent.
	var hours struct {
		Hours []json.RawMessage `json:"hours"`
	}
	if err := json.Unmarshal(body, &hours); err != nil || len(hours.Hours) != 24 {
		return r, models.Errorf(models.EINVALID, "hours: want exactly 24 hourly counts, got %d", len(hours.Hours))
	}
	if r.Schema != models.ReportSchema {
		return r, models.Errorf(models.ESCHEMA, "schema %q: this branch understands %q", truncate(r.Schema, 40), models.ReportSchema)
	}
	if r.Outlet != outlet {
		return r, models.Errorf(models.EMISMATCH, "the push is signed by outlet %s but reports for outlet %q", outlet, truncate(r.Outlet, 40))
	}
	if err := checkDay(r, now); err != nil {
		return r, err
	}
	if r.Revision < 1 || r.Revision > MaxRevision {
		return r, models.Errorf(models.EINVALID, "revision %d: must be between 1 and %d", r.Revision, MaxRevision)
	}
	if _, err := time.Parse(time.RFC3339, r.GeneratedAt); err != nil {
		return r, models.Errorf(models.EINVALID, "generated_at %q: want an RFC 3339 time", truncate(r.GeneratedAt, 40))
	}
	if err := checkCounts(r); err != nil {
		return r, err
	}
	if err := checkFeedbackAges(r.Feedback); err != nil {
		return r, err
	}
	if err := checkActivities(r.Activities); err != nil {
		return r, err
	}
	if r.Profile != nil {
		if err := checkProfile(r.Profile); err != nil {
			return r, err
		}
	}
	return r, cmp.Or(checkSums(r), checkEvidence(body, r))
}

// checkZone requires an IANA time zone name ("" and "Local" are not).
func checkZone(zone string) error {
	_, err := loadZone(zone)
	return err
}

func loadZone(zone string) (*time.Location, error) {
	if zone == "" || zone == "Local" {
		return nil, models.Errorf(models.EINVALID, "timezone: give an IANA time zone such as Asia/Shanghai")
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, models.Errorf(models.EINVALID, "timezone %q: not a known IANA time zone", truncate(zone, 40))
	}
	return loc, nil
}

// checkDay accepts a real date that has begun in the report's time zone.
func checkDay(r models.Report, now time.Time) error {
	loc, err := loadZone(r.TimeZone)
	if err != nil {
		return err
	}
	if _, err := models.ParseDay(r.Day); err != nil {
		return err
	}
	if r.Day < MinReportDay {
		return models.Errorf(models.EINVALID, "day %s: reports start on %s", r.Day, MinReportDay)
	}
	if today, _ := models.LocalDay(now, loc); r.Day > today {
		return models.Errorf(models.EFUTUREDAY, "day %s has not begun yet in %s (today is %s there)", r.Day, r.TimeZone, today)
	}
	return nil
}

// checkCounts rejects negative or absurd counts and bad or repeated codes.
func checkCounts(r models.Report) error {
	var bad error
	check := func(n int, field string, args ...any) {
		if bad == nil && (n < 0 || n > MaxCount) {
			bad = models.Errorf(models.EINVALID, "%s = %d: counts must be between 0 and %d", fmt.Sprintf(field, args...), n, MaxCount)
		}
	}
	check(r.Totals.CheckIns, "totals.checkins")
	check(r.Totals.Visitors, "totals.visitors")
	check(r.Channels.Live, "channels.live")
	check(r.Channels.Poster, "channels.poster")
	check(r.Channels.Assisted, "channels.assisted")
	for h, n := range r.Hours {
		check(n, "hours[%d]", h)
	}
	amenities := make([]string, len(r.Amenities))
	for i, a := range r.Amenities {
		amenities[i] = a.Code
		check(a.CheckIns, "amenities[%d].checkins", i)
		check(a.Visitors, "amenities[%d].visitors", i)
	}
	categories := make([]string, len(r.Categories))
	for i, c := range r.Categories {
		categories[i] = c.Code
		check(c.CheckIns, "categories[%d].checkins", i)
	}
	if f := r.Feedback; f != nil {
		check(f.Received, "feedback.received")
		check(f.Resolved, "feedback.resolved")
		check(f.Open, "feedback.open")
	}
	for i, a := range r.Activities {
		check(a.Participants, "activities[%d].participants", i)
	}
	if bad != nil {
		return bad
	}
	if len(amenities) > MaxReportAmenities {
		return models.Errorf(models.EINVALID, "amenities: %d listed, at most %d", len(amenities), MaxReportAmenities)
	}
	if err := checkAmenityCodes("amenities", amenities); err != nil {
		return err
	}
	for i, c := range categories {
		if _, known := models.CategoryByCode(c); !known && c != models.UnspecifiedCategory {
			return models.Errorf(models.EINVALID, "categories[%d].code %q: not a worker category this branch knows", i, truncate(c, 40))
		}
	}
	return distinct("categories", categories)
}

// checkAmenityCodes requires distinct codes that look like amenity codes.
func checkAmenityCodes(field string, codes []string) error {
	for i, c := range codes {
		if !models.AmenityCodePattern.MatchString(c) {
			return models.Errorf(models.EINVALID, "%s[%d].code %q: use a-z first, then 1-31 of a-z, 0-9 and _", field, i, truncate(c, 40))
		}
	}
	return distinct(field, codes)
}

func distinct(field string, codes []string) error {
	seen := make(map[string]bool, len(codes))
	for _, c := range codes {
		if seen[c] {
			return models.Errorf(models.EINVALID, "%s: code %q appears twice", field, c)
		}
		seen[c] = true
	}
	return nil
}

// checkActivities holds activities to the outlet's own rules: a theme of
// 1-60 plain characters, a known venue, 0-100000 participants.
func checkActivities(acts []models.ActivityReport) error {
	for i, a := range acts {
		theme := textField{fmt.Sprintf("activities[%d].theme", i), a.Theme, 1, models.ThemeMaxChars}
		if err := theme.check(); err != nil {
			return err
		}
		if _, ok := models.VenueByCode(a.Venue); !ok {
			return models.Errorf(models.EINVALID, "activities[%d].venue %q: not a venue type this branch knows", i, truncate(a.Venue, 40))
		}
		if a.Participants > models.MaxParticipants {
			return models.Errorf(models.EINVALID, "activities[%d].participants = %d: at most %d", i, a.Participants, models.MaxParticipants)
		}
	}
	return nil
}

// checkHeld applies the rules that need what the branch holds: the
// outlet's pinned time zone (zone, "" while none is pinned) and the
// revision stored for the report's day (held, 0 when none).
func checkHeld(r models.Report, zone string, held int) error {
	if zone != "" && r.TimeZone != zone {
		return models.Errorf(models.ETZMISMATCH, "the report is in time zone %q but outlet %s enrolled with %s; "+
			"if it really moved, the branch accepts the change with 'harbor branch outlet timezone %s %s'",
			truncate(r.TimeZone, 40), r.Outlet, zone, r.Outlet, truncate(r.TimeZone, 40))
	}
	if r.Revision-held > MaxRevisionJump {
		return models.Errorf(models.EINVALID, "revision %d of %s jumps more than %d past the revision held, %d",
			r.Revision, r.Day, MaxRevisionJump, held)
	}
	return nil
}

// checkSums requires channels, hours and categories each to add up to the
// day's check-ins, and no amenity to exceed the day's totals.
func checkSums(r models.Report) error {
	want := r.Totals.CheckIns
	if r.Totals.Visitors > want {
		return models.Errorf(models.EINVALID, "totals: %d visitors but only %d check-ins", r.Totals.Visitors, want)
	}
	sum := func(xs []int) (n int) {
		for _, x := range xs {
			n += x
		}
		return n
	}
	cats := make([]int, len(r.Categories))
	for i, c := range r.Categories {
		cats[i] = c.CheckIns
	}
	for _, part := range []struct {
		name string
		n    int
	}{
		{"channels", r.Channels.Live + r.Channels.Poster + r.Channels.Assisted},
		{"hours", sum(r.Hours[:])},
		{"categories", sum(cats)},
	} {
		if part.n != want {
			return models.Errorf(models.EINVALID, "%s add up to %d but totals.checkins is %d", part.name, part.n, want)
		}
	}
	for _, a := range r.Amenities {
		if a.CheckIns > want || a.Visitors > r.Totals.Visitors || a.Visitors > a.CheckIns {
			return models.Errorf(models.EINVALID, "amenity %s: %d check-ins and %d visitors do not fit the day's totals",
				a.Code, a.CheckIns, a.Visitors)
		}
	}
	return nil
}
