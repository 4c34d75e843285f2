package app_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// station is a profile pushed with a report.
type station struct {
	code, name, hours string
	lat, lng          float64 // 0: no coordinates
	amenities         []string
}

func pushProfile(t *testing.T, b *apptest.Branch, o apptest.TestOutlet, s station) {
	t.Helper()
	r := apptest.SampleReport(o.Code, "2026-11-24", 1, 1)
	p := &models.OutletProfile{Name: s.name, Address: "十堰市 " + s.name + " 1号", OpeningHours: s.hours}
	if s.lat != 0 {
		p.Latitude, p.Longitude = &s.lat, &s.lng
	}
	for _, code := range s.amenities {
		a, _ := models.CatalogByCode(code)
		p.Amenities = append(p.Amenities, models.ProfileAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN})
	}
	r.Profile = p
	b.MustPush(o, r)
}

// TestDirectorySortsByDistanceAndFilters: nearest first with the phone's
// location, by name without it; the amenity filter; open now from the
// opening hours; revoked outlets gone; bad profiles refused.
func TestDirectorySortsByDistanceAndFilters(t *testing.T) {
	apptest.ForEachBranchBackend(t, testDirectorySortsByDistanceAndFilters)
}

func testDirectorySortsByDistanceAndFilters(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg) // Wednesday 2026-11-25 10:00 in Shanghai
	for _, s := range []station{
		{"SY001", "C 北京路站", "周一至周五 8:30-17:00", 32.6295, 110.7980, []string{"water", "ebike_charging"}},
		{"SY002", "A 人民路站", "每天 11:00-18:00", 32.6500, 110.7800, []string{"water"}},
		{"SY003", "B 武汉站", "", 30.5928, 114.3055, []string{"ebike_charging", "tea"}},
		{"SY004", "D 无坐标站", "营业时间以公告为准", 0, 0, []string{"water", "ebike_charging"}},
		{"SY005", "E 已撤销站", "", 32.63, 110.79, []string{"water"}},
	} {
		pushProfile(t, b, b.EnrollOutlet(s.code), s)
	}
	if err := b.Svc.RevokeOutlet(context.Background(), "SY005"); err != nil {
		t.Fatal(err)
	}
	c := apptest.NewClient(t, b.HTTP, "10.3.0.1")
	order := func(q string) string {
		var page branch.DirectoryPage
		getJSON(t, c, "/api/v1/directory"+q, &page)
		var codes []string
		for _, s := range page.Stations {
			codes = append(codes, s.Code)
		}
		return strings.Join(codes, " ")
	}
	// SY005 was revoked after its profile arrived (the directory cache is
	// fresh for 30 s in production; a new branch has none yet).
	for q, want := range map[string]string{
		"":                       "SY002 SY003 SY001 SY004",
		"?lat=32.63&lng=110.797": "SY001 SY002 SY003 SY004",
		"?lat=30.6&lng=114.3":    "SY003 SY001 SY002 SY004",
		"?lat=32.63&lng=110.797&amenity=ebike_charging": "SY001 SY003 SY004",
		"?amenity=tea": "SY003",
	} {
		if got := order(q); got != want {
			t.Errorf("directory%s: %s, want %s", q, got, want)
		}
	}
	var page branch.DirectoryPage
	getJSON(t, c, "/api/v1/directory?lat=32.63&lng=110.797", &page)
	near := page.Stations[0]
	if near.DistanceM == nil || *near.DistanceM > 200 || near.OpenNow == nil || !*near.OpenNow || near.Address == "" ||
		page.Stations[1].OpenNow == nil || *page.Stations[1].OpenNow || page.Stations[2].OpenNow != nil || page.Stations[3].DistanceM != nil {
		t.Fatalf("stations: %+v", page.Stations)
	}
	if resp, body := c.Get("/api/v1/directory?lat=91&lng=0"); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"invalid"`) {
		t.Fatalf("latitude 91: %d %s", resp.StatusCode, body)
	}
	bad := b.EnrollOutlet("SY006")
	r := apptest.SampleReport("SY006", "2026-11-24", 1, 1)
	lat, lng := 91.0, 10.0
	r.Profile = &models.OutletProfile{Name: "x", Latitude: &lat, Longitude: &lng}
	if resp, body := b.Push(bad, r); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "profile.lat") {
		t.Fatalf("a profile at latitude 91: %d %s", resp.StatusCode, body)
	}
	r.Profile = &models.OutletProfile{Name: strings.Repeat("长", 61)}
	if resp, body := b.Push(bad, r); resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "profile.name") {
		t.Fatalf("a 61-character name: %d %s", resp.StatusCode, body)
	}
}

// TestDirectoryPage: the phone page works without script (list by name,
// amenity filter form), stays small, and is sorted by distance when the
// page's script adds the location.
func TestDirectoryPage(t *testing.T) { apptest.ForEachBranchBackend(t, testDirectoryPage) }

func testDirectoryPage(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	all := make([]string, len(models.Catalog))
	for i, a := range models.Catalog {
		all[i] = a.Code
	}
	for i := 1; i <= 25; i++ {
		code := fmt.Sprintf("SY%03d", i)
		pushProfile(t, b, b.EnrollMany(code)[0], station{code, fmt.Sprintf("十堰分行第%02d劳动者港湾服务站", i),
			"周一至周五 8:30-17:00，周六日 9:00-16:00", 32.6 + float64(i)/100, 110.8, all})
	}
	c := apptest.NewClient(t, b.HTTP, "10.3.0.2")
	req := apptest.Request("GET", "/directory?amenity=ebike_charging", "", "")
	req.Header.Set("Accept-Encoding", "gzip")
	resp, body := c.Do(req)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("directory: %d %s", resp.StatusCode, resp.Header.Get("Content-Encoding"))
	}
	if len(body) > 14<<10 {
		t.Fatalf("the directory page is %d bytes gzipped, over 14 KB", len(body))
	}
	t.Logf("directory page of 20 stations with %d amenities each: %d bytes gzipped", len(all), len(body))
	zr, _ := gzip.NewReader(bytes.NewReader([]byte(body)))
	var html bytes.Buffer
	html.ReadFrom(zr)
	page := html.String()
	for _, want := range []string{"十堰分行第01劳动者港湾服务站", "营业中", `<option value="ebike_charging" selected>`, "下一页",
		"共 25 个服务站", `<title>电动车充电</title><use href="#i-ebike_charging"/>`, `<symbol id="i-ebike_charging"`,
		`<p class="hit">`, `<label for="amenity">`} {
		if !strings.Contains(page, want) {
			t.Fatalf("directory page lacks %q", want)
		}
	}
	// Browsers share the location over HTTPS only: over plain HTTP the page
	// does not offer "nearest first".
	if strings.Contains(page, `id="near"`) || strings.Contains(page, `src="/static/directory.`) {
		t.Fatal("over plain HTTP the directory offers to sort by the phone's location")
	}
	req = apptest.Request("GET", "/directory", "", "")
	req.Header.Set("X-Forwarded-Proto", "https") // from a trusted proxy
	if _, secure := c.Do(req); !strings.Contains(secure, `<button type="button" id="near" hidden>`) ||
		!strings.Contains(secure, `src="/static/directory.`) {
		t.Fatal("over HTTPS the directory should offer to sort by the phone's location")
	}
	if strings.Contains(page, "十堰分行第21劳动者港湾服务站") {
		t.Fatal("the first page lists more than 20 stations")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' 'sha256-") {
		t.Fatalf("CSP: %s", csp)
	}
	_, near := c.Get("/directory?lat=32.85&lng=110.8")
	if i, j := strings.Index(near, "第25劳"), strings.Index(near, "第24劳"); i < 0 || j < 0 || i > j || !strings.Contains(near, "按距离排序") {
		t.Fatal("with a location the nearest station comes first")
	}
	b.Clock.Set(time.Date(2026, 11, 29, 17, 0, 0, 0, apptest.Shanghai)) // Sunday after 16:00
	if _, closed := c.Get("/directory?page=2"); !strings.Contains(closed, "已休息") || strings.Contains(closed, "营业中") {
		t.Fatal("on Sunday at 17:00 every station is closed")
	}
}

// TestDirectoryByDistrictAndStreet: without the phone's location (plain
// HTTP, or none shared), a worker picks the district read from the
// stations' addresses or types a street; both work without JavaScript.
func TestDirectoryByDistrictAndStreet(t *testing.T) {
	apptest.ForEachBranchBackend(t, testDirectoryByDistrictAndStreet)
}

func testDirectoryByDistrictAndStreet(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	for code, address := range map[string]string{"SY001": "十堰市茅箭区北京中路 1 号", "SY002": "十堰市张湾区车城路 8 号",
		"SY003": "十堰市茅箭区人民南路 3 号", "SY004": "丹江口市均州路 2 号"} {
		r := apptest.SampleReport(code, "2026-11-24", 1, 1)
		r.Profile = &models.OutletProfile{Name: code + " 服务站", Address: address,
			Amenities: []models.ProfileAmenity{{Code: "water", ZH: "饮用水", EN: "Drinking water"}}}
		b.MustPush(b.EnrollOutlet(code), r)
	}
	c := apptest.NewClient(t, b.HTTP, "10.3.0.3")
	_, page := c.Get("/directory")
	for _, want := range []string{`<label for="district">`, `<option value="丹江口市">`, `<option value="张湾区">`,
		`<option value="茅箭区">`, `<label for="q">`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the directory lacks %q", want)
		}
	}
	for query, want := range map[string][]string{
		"district=%E8%8C%85%E7%AE%AD%E5%8C%BA":                      {"SY001", "SY003"}, // 茅箭区
		"q=%E8%BD%A6%E5%9F%8E%E8%B7%AF":                             {"SY002"},          // 车城路
		"q=%E8%B7%AF&district=%E4%B8%B9%E6%B1%9F%E5%8F%A3%E5%B8%82": {"SY004"},          // 路, 丹江口市
	} {
		var got branch.DirectoryPage
		getJSON(t, c, "/api/v1/directory?"+query, &got)
		var codes []string
		for _, s := range got.Stations {
			codes = append(codes, s.Code)
		}
		if strings.Join(codes, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %v, want %v", query, codes, want)
		}
	}
}
