package outlet

import (
	"context"
	"strings"
	"testing"
	"time"

	"harbor/models"
)

// TestReportCarriesProfile: the report's profile is the station's public
// profile, cut to what the branch accepts, and setting the place marks the
// running day for a new report.
func TestReportCarriesProfile(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, err := Open(context.Background(), testConfig(t), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for _, bad := range [][3]string{{strings.Repeat("路", 121), "", ""}, {"", "32.6", ""}, {"", "91", "110"}, {"", "x", "y"}} {
		if err := s.SetPlace(ctx, bad[0], bad[1], bad[2]); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("SetPlace%q: %v", bad, err)
		}
	}
	if err := s.SetPlace(ctx, "  十堰市\t北京中路  1 号 ", "32.6295", "110.7980"); err != nil {
		t.Fatal(err)
	}
	a := models.Amenity{Code: "shoe_polish", ZH: "擦鞋\u0007服务", EN: "Shoe polish", Group: "tools", Icon: "toolbox"}
	if err := s.AddCustomAmenity(ctx, a); models.ErrorCode(err) != models.EINVALID {
		t.Fatalf("a name with a control character: %v", err)
	}
	// One stored before names were checked leaves cleaned.
	a.Custom, a.Enabled, a.Position = true, true, 1000
	if err := s.db.Write.Create(&a).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.profileChanged(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := s.BuildReport(ctx, "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	p := r.Profile
	last := p.Amenities[len(p.Amenities)-1]
	if p.Name != s.Profile().Name || p.Address != "十堰市 北京中路 1 号" || *p.Latitude != 32.6295 || *p.Longitude != 110.798 ||
		len(p.Amenities) != len(s.Profile().Amenities) || last.Code != "shoe_polish" || last.ZH != "擦鞋服务" {
		t.Fatalf("profile %+v, last amenity %+v", p, last)
	}
	var dirty []string
	s.db.Read.Raw(`SELECT day FROM report_dirty`).Scan(&dirty)
	if len(dirty) != 1 || dirty[0] != "2026-11-25" {
		t.Fatalf("a new place should mark the running day: %v", dirty)
	}
	if err := s.SetPlace(ctx, "", "", ""); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.BuildReport(ctx, "2026-11-25"); r.Profile.Address != "" || r.Profile.Latitude != nil {
		t.Fatalf("a cleared place: %+v", r.Profile)
	}
}
