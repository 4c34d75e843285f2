package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// TestProfileTravelsToTheDirectory: a manager sets the station's place and
// hours on the outlet's Amenities page; the next report takes the profile
// to the branch, whose directory lists it; a disabled amenity leaves the
// directory with the next report.
func TestProfileTravelsToTheDirectory(t *testing.T) {
	apptest.ForEachBranchBackend(t, testProfileTravelsToTheDirectory)
}

func testProfileTravelsToTheDirectory(t *testing.T, cfg config.Branch) {
	n := newNetworkOn(t, cfg)
	o := n.addOutlet("SY001", n.url)
	o.AddStaff("wang", models.RoleManager, testPassword)
	c := apptest.NewClient(t, o.HTTP, "10.0.0.5")
	csrf := apptest.StaffLogin(t, c, "wang", testPassword)
	for path, form := range map[string]url.Values{
		"/staff/amenities/place": {"address": {"十堰市茅箭区北京中路 1 号"}, "lat": {"32.6295"}, "lng": {"110.798"}},
		"/staff/amenities/hours": {"hours": {"周一至周五 8:30-17:00"}},
	} {
		form.Set("_csrf", csrf)
		if resp, body := c.PostForm(path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d %s", path, resp.StatusCode, body)
		}
	}
	if _, page := c.Get("/staff/amenities"); !strings.Contains(page, `value="32.6295"`) || !strings.Contains(page, "北京中路") {
		t.Fatal("the Amenities page does not show the saved place")
	}
	if resp, _ := c.PostForm("/staff/amenities/place", url.Values{"_csrf": {csrf}, "lat": {"132"}, "lng": {"1"}}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("latitude 132 accepted: %d", resp.StatusCode)
	}
	checkIn(t, o, "10.0.0.1", []string{"water"}, "courier")
	pushAll(t, o, 3)

	entry := directoryEntry(t, n, "SY001")
	p := o.Svc.Profile()
	if entry == nil || entry.Name != p.Name || entry.Address != "十堰市茅箭区北京中路 1 号" || entry.Latitude == nil ||
		*entry.Latitude != 32.6295 || entry.OpeningHours != "周一至周五 8:30-17:00" || len(entry.Amenities) != len(p.Amenities) ||
		entry.OpenNow == nil || !*entry.OpenNow {
		t.Fatalf("directory entry %+v", entry)
	}
	if err := o.Svc.SetAmenityEnabled(context.Background(), "ebike_charging", false); err != nil {
		t.Fatal(err)
	}
	n.clock.Advance(16 * time.Minute) // the running day is snapshot at most every 15 minutes
	pushAll(t, o, 3)
	if entry := directoryEntry(t, n, "SY001"); entry.Offers("ebike_charging") || len(entry.Amenities) != len(p.Amenities)-1 {
		t.Fatalf("after disabling e-bike charging: %+v", entry.Amenities)
	}
}

// directoryEntry fetches one station from the branch's directory API.
func directoryEntry(t *testing.T, n *network, code string) *branch.DirectoryEntry {
	t.Helper()
	var page branch.DirectoryPage
	getJSON(t, apptest.NewClient(t, n.branch.HTTP, "10.3.0.9"), "/api/v1/directory", &page)
	for _, s := range page.Stations {
		if s.Code == code {
			return &s
		}
	}
	return nil
}

// TestPlaceFlags: --outlet-address, --outlet-lat and --outlet-lng set the
// station's place at start; flags not given keep what is stored.
func TestPlaceFlags(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.Address, cfg.Lat, cfg.Lng = "十堰市人民路 8 号", "32.64", "110.78"
	o := apptest.NewOutlet(t, cfg)
	o.Close()
	cfg.Address, cfg.Lat, cfg.Lng = "十堰市人民路 9 号", "", ""
	o = apptest.NewOutlet(t, cfg)
	place, err := o.Svc.Place(context.Background())
	if err != nil || place.Address != "十堰市人民路 9 号" || place.LatText() != "32.64" || place.LngText() != "110.78" {
		t.Fatalf("place %+v %v", place, err)
	}
	r, err := o.Svc.BuildReport(context.Background(), "2026-11-25")
	if err != nil || r.Profile == nil || r.Profile.Address != place.Address || *r.Profile.Longitude != 110.78 {
		t.Fatalf("report profile %+v %v", r.Profile, err)
	}
	cfg.Lat = "95"
	cfg.Lng = "1"
	if err := cfg.Validate(); err == nil {
		t.Fatal("--outlet-lat 95 accepted")
	}
}
