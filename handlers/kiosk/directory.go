package kiosk

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/directory"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Directory serves the public outlet directory: GET /directory, a small
// page for workers' phones, and GET /api/v1/directory as JSON. The branch
// and the public gateway both serve it, each from its own source.
type Directory struct {
	Svc   DirectorySource
	Pages *kioskweb.Pages
	// Prefix is the path every route lives under (config.PathPrefix).
	Prefix string
}

// DirectorySource is where the directory's stations come from: the
// profiles outlets send the branch with their reports, or the sheets they
// send the gateway.
type DirectorySource interface {
	Directory(ctx context.Context, q directory.Query) (directory.Page, error)
	DirectoryAmenities(ctx context.Context) ([]models.ProfileAmenity, error)
	DirectoryDistricts(ctx context.Context) ([]string, error)
}

// DirectoryPageSize is how many stations one page of /directory lists.
const DirectoryPageSize = 20

var amenityCode = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// truncateRunes keeps at most n characters of s, trimmed.
func truncateRunes(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

type directoryStation struct {
	directory.Entry
	Open, Distance string
	Icons          []amenityIcon // its amenities
	Match          *amenityIcon  // the amenity searched for
	MapURL         template.URL
}

// amenityIcon is an amenity drawn as its icon with its Chinese name.
type amenityIcon struct{ Icon, Name string }

// pickOption is one choice of the directory's amenity and district lists.
type pickOption struct {
	Value, Label string
	Checked      bool
}

type directoryView struct {
	Stations           []directoryStation
	Amenity            string
	Amenities          []pickOption
	Districts          []pickOption
	Text               string
	Near               bool
	Secure             bool // "nearest first" can work: browsers share the location over HTTPS only
	Lat, Lng           string
	Total, Page, Pages int
	PrevURL, NextURL   string
	ByNameURL          string
	Script             string
	Icons              []string // the icons the page draws, defined once
}

// directoryQuery reads ?lat=&lng=&amenity=&district=&q=; strict makes a
// bad value an error (the API) rather than ignored (the page).
func directoryQuery(c *fiber.Ctx, strict bool) (directory.Query, error) {
	q := directory.Query{District: truncateRunes(c.Query("district"), directory.MaxText),
		Text: truncateRunes(c.Query("q"), directory.MaxText)}
	if lat, lng := c.Query("lat"), c.Query("lng"); lat != "" || lng != "" {
		la, lo, err := models.ParseCoordinates(lat, lng)
		if err == nil {
			q.Lat, q.Lng = &la, &lo
		} else if strict {
			return q, err
		}
	}
	if a := c.Query("amenity"); a != "" {
		if amenityCode.MatchString(a) {
			q.Amenity = a
		} else if strict {
			return q, models.Errorf(models.EINVALID, "amenity %q: an amenity code such as ebike_charging", web.Truncate(a, 40))
		}
	}
	return q, nil
}

// API answers GET /api/v1/directory?lat=&lng=&amenity=&limit=&offset=:
// stations by distance when lat/lng are given, else by name.
func (d *Directory) API(c *fiber.Ctx) error {
	q, err := directoryQuery(c, true)
	if err != nil {
		return err
	}
	q.Limit, _ = strconv.Atoi(c.Query("limit"))
	q.Offset, _ = strconv.Atoi(c.Query("offset"))
	page, err := d.Svc.Directory(c.UserContext(), q)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	return c.JSON(page)
}

// Page shows the directory: nearest first when the phone shared its
// location (directory.js adds lat/lng to the URL; offered over HTTPS only,
// where browsers share it), else by name; filtered by amenity, district
// or a street typed, all without JavaScript.
func (d *Directory) Page(c *fiber.Ctx) error {
	q, _ := directoryQuery(c, false)
	v := directoryView{Amenity: q.Amenity, Text: q.Text, Near: q.Lat != nil, Secure: c.Protocol() == "https",
		Script: d.Pages.StaticURL("directory.js")}
	v.Page, _ = strconv.Atoi(c.Query("page"))
	v.Page = max(v.Page, 1)
	q.Offset, q.Limit = (v.Page-1)*DirectoryPageSize, DirectoryPageSize
	page, err := d.Svc.Directory(c.UserContext(), q)
	if err != nil {
		return err
	}
	names, err := d.Svc.DirectoryAmenities(c.UserContext())
	if err != nil {
		return err
	}
	for _, a := range names {
		v.Amenities = append(v.Amenities, pickOption{Value: a.Code, Label: a.ZH, Checked: a.Code == q.Amenity})
	}
	districts, err := d.Svc.DirectoryDistricts(c.UserContext())
	if err != nil {
		return err
	}
	for _, name := range districts {
		v.Districts = append(v.Districts, pickOption{Value: name, Label: name, Checked: name == q.District})
	}
	seen := map[string]bool{}
	for _, e := range page.Stations {
		st := station(e, q.Amenity)
		for _, i := range st.Icons {
			if !seen[i.Icon] {
				seen[i.Icon] = true
				v.Icons = append(v.Icons, i.Icon)
			}
		}
		v.Stations = append(v.Stations, st)
	}
	v.links(c, d.Prefix, q, page.Total)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return d.Pages.RenderDirectory(c, v)
}

// links fills the paging links, which keep the other parameters.
func (v *directoryView) links(c *fiber.Ctx, prefix string, q directory.Query, total int) {
	v.Total, v.Pages = total, max(1, (total+DirectoryPageSize-1)/DirectoryPageSize)
	base := url.Values{}
	for k, v := range map[string]string{"amenity": q.Amenity, "district": q.District, "q": q.Text} {
		if v != "" {
			base.Set(k, v)
		}
	}
	v.ByNameURL = prefix + "/directory?" + base.Encode()
	if q.Lat != nil {
		v.Lat, v.Lng = c.Query("lat"), c.Query("lng")
		base.Set("lat", v.Lat)
		base.Set("lng", v.Lng)
	}
	link := func(page int) string {
		u := url.Values{}
		for k, vs := range base {
			u[k] = vs
		}
		u.Set("page", strconv.Itoa(page))
		return prefix + "/directory?" + u.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = link(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
}

// station prepares one station for the page; amenity is the one searched
// for, if any.
func station(e directory.Entry, amenity string) directoryStation {
	s := directoryStation{Entry: e}
	if e.OpenNow != nil {
		s.Open = "closed"
		if *e.OpenNow {
			s.Open = "open"
		}
	}
	if e.DistanceM != nil {
		s.Distance = fmt.Sprintf("%d 米", *e.DistanceM)
		if *e.DistanceM >= 1000 {
			s.Distance = fmt.Sprintf("%.1f 公里", float64(*e.DistanceM)/1000)
		}
	}
	for _, a := range e.Amenities {
		// Catalog amenities have the icon of their code; an outlet's own
		// ones, whose icon the branch does not know, get the generic one.
		icon := amenityIcon{Icon: "other", Name: a.ZH}
		if _, ok := models.CatalogByCode(a.Code); ok {
			icon.Icon = a.Code
		}
		s.Icons = append(s.Icons, icon)
		if a.Code == amenity {
			s.Match = &icon
		}
	}
	if e.Latitude != nil {
		ll := strconv.FormatFloat(*e.Latitude, 'f', 6, 64) + "," + strconv.FormatFloat(*e.Longitude, 'f', 6, 64)
		s.MapURL = template.URL("geo:" + ll + "?q=" + ll + "(" + url.QueryEscape(e.Name) + ")")
	}
	return s
}
