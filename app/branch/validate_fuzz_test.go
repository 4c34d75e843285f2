package branch

import (
	"encoding/json"
	"testing"
	"time"

	"harbor/models"
)

// FuzzParseReport: no body panics the report checks, every rejection has a
// specific code, and an accepted document survives a round trip unchanged.
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
