package gateway

import (
	"strings"
	"testing"

	"harbor/app/pull"
	"harbor/models"
)

// goodSheet is a sheet newView takes.
func goodSheet() *models.StationSheet {
	d := pull.TokenDigest("p1.AAAAAAAAAAAAAAAA")
	return &models.StationSheet{Schema: models.SheetSchema, Outlet: "SY001", Name: "网点", TimeZone: "Asia/Shanghai",
		DedupeSeconds: 600, PosterVersion: 2, Top: []string{"water"},
		Amenities: []models.SheetAmenity{{Code: "water", ZH: "饮用水", EN: "Water", Group: "drink", Icon: "water"}},
		Posters: []models.PosterDigests{{Version: 2, Digests: map[string]string{"": d, "water": d}},
			{Version: 1, Digests: map[string]string{"": d}}}}
}

// TestSheetsAreChecked: a sheet is input like any other, signed or not:
// everything the pages show or the checks use is bounded and well formed.
func TestSheetsAreChecked(t *testing.T) {
	if _, err := newView("SY001", goodSheet(), 0); err != nil {
		t.Fatalf("a good sheet: %v", err)
	}
	lat := 91.0
	for name, spoil := range map[string]func(*models.StationSheet){
		"another schema":                   func(s *models.StationSheet) { s.Schema = "harbor.sheet/v9" },
		"another outlet's":                 func(s *models.StationSheet) { s.Outlet = "SY002" },
		"no name":                          func(s *models.StationSheet) { s.Name = "" },
		"a name with a control":            func(s *models.StationSheet) { s.Name = "网\x1b点" },
		"a name too long":                  func(s *models.StationSheet) { s.Name = strings.Repeat("长", 61) },
		"no amenity":                       func(s *models.StationSheet) { s.Amenities = nil },
		"an amenity code with a tag":       func(s *models.StationSheet) { s.Amenities[0].Code = "<b>" },
		"an amenity twice":                 func(s *models.StationSheet) { s.Amenities = append(s.Amenities, s.Amenities[0]) },
		"a top amenity not enabled":        func(s *models.StationSheet) { s.Top = []string{"sauna"} },
		"a zone that is none":              func(s *models.StationSheet) { s.TimeZone = "Mars/Olympus" },
		"dedupe of a week":                 func(s *models.StationSheet) { s.DedupeSeconds = 7 * 24 * 3600 },
		"a latitude without longitude":     func(s *models.StationSheet) { s.Latitude = &lat },
		"no digests of the current poster": func(s *models.StationSheet) { s.Posters = s.Posters[1:] },
		"a poster version from the future": func(s *models.StationSheet) { s.Posters[1].Version = 3 },
		"a digest that is none":            func(s *models.StationSheet) { s.Posters[0].Digests[""] = "x" },
		"a digest of an amenity not offered": func(s *models.StationSheet) {
			s.Posters[0].Digests["sauna"] = s.Posters[0].Digests[""]
		},
	} {
		s := goodSheet()
		spoil(s)
		if _, err := newView("SY001", s, 0); err == nil {
			t.Errorf("%s: taken", name)
		}
	}
}
