package branch

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"harbor/models"
)

// FuzzParseReport: no body panics the report checks, every rejection has a
// specific code, an accepted document survives a round trip unchanged and
// keeps the outlet's own rules (issue 10: themes, venues, participants,
// category and amenity codes, days, revisions), and the rules that need
// what the branch holds (checkHeld: the pinned zone, the revision jump)
// hold for what they let through. Seeds for each rule are in testdata/fuzz.
func FuzzParseReport(f *testing.F) {
	now := time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)
	good := models.Report{Schema: models.ReportSchema, Outlet: "SY001", Day: "2026-11-25", TimeZone: "Asia/Shanghai",
		Revision: 1, Final: true, GeneratedAt: "2026-11-26T00:05:00+08:00",
		Totals:     models.ReportTotals{CheckIns: 3, Visitors: 2},
		Amenities:  []models.AmenityCount{{Code: "water", CheckIns: 3, Visitors: 2}},
		Categories: []models.CategoryCount{{Code: "courier", CheckIns: 3}},
		Channels:   models.ChannelCounts{Poster: 3}}
	good.Hours[10] = 3
	b, _ := json.Marshal(good)
	f.Add(b)
	lat, lng := 32.6295, 110.798
	good.Profile = &models.OutletProfile{Name: "十堰", Address: "北京中路 1 号", OpeningHours: "每天 8:00-18:00",
		Latitude: &lat, Longitude: &lng, Amenities: []models.ProfileAmenity{{Code: "water", ZH: "饮用水", EN: "Drinking water"}}}
	b, _ = json.Marshal(good)
	f.Add(b)
	for _, seed := range []string{`{}`, `null`, `[]`, `{"schema":"harbor.report/v1","hours":[]}`, `{"totals":{"checkins":-1}}`,
		`{"day":"2026-02-30"}`, `{"hours":[1,2,3]}` + "\n{}", "\xff\xfe", `{"amenities":[{"code":"<script>","checkins":1e99}]}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseReport(body, "SY001", now)
		if err != nil {
			if models.ErrorCode(err) == models.EINTERNAL {
				t.Fatalf("parseReport: unclassified error %v", err)
			}
			return
		}
		keepsTheRules(t, r)
		switch err := checkHeld(r, "Asia/Shanghai", 5); {
		case err == nil && (r.TimeZone != "Asia/Shanghai" || r.Revision-5 > MaxRevisionJump):
			t.Fatalf("checkHeld let through zone %q, revision %d", r.TimeZone, r.Revision)
		case err != nil && models.ErrorCode(err) != models.ETZMISMATCH && models.ErrorCode(err) != models.EINVALID:
			t.Fatalf("checkHeld: unexpected error %v", err)
		}
		again, _ := json.Marshal(r)
		r2, err := parseReport(again, "SY001", now)
		if err != nil {
			t.Fatalf("an accepted report fails after a round trip: %v", err)
		}
		if again2, _ := json.Marshal(r2); string(again2) != string(again) {
			t.Fatalf("round trip changed the report")
		}
	})
}

// keepsTheRules fails t unless an accepted report keeps the outlet's rules.
func keepsTheRules(t *testing.T, r models.Report) {
	t.Helper()
	if r.Day < MinReportDay || r.Revision < 1 || r.Revision > MaxRevision || len(r.Amenities) > MaxReportAmenities {
		t.Fatalf("accepted day %s, revision %d, %d amenities", r.Day, r.Revision, len(r.Amenities))
	}
	for _, a := range r.Amenities {
		if !models.AmenityCodePattern.MatchString(a.Code) {
			t.Fatalf("accepted amenity code %q", a.Code)
		}
	}
	for _, c := range r.Categories {
		if _, ok := models.CategoryByCode(c.Code); !ok && c.Code != models.UnspecifiedCategory {
			t.Fatalf("accepted category %q", c.Code)
		}
	}
	for _, a := range r.Activities {
		n := utf8.RuneCountInString(a.Theme)
		if _, ok := models.VenueByCode(a.Venue); !ok || n < 1 || n > models.ThemeMaxChars || !models.PlainText(a.Theme) ||
			a.Participants < 0 || a.Participants > models.MaxParticipants {
			t.Fatalf("accepted activity %+v", a)
		}
	}
}
