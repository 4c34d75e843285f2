package staff

import (
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Managers' pages: amenities, opening hours and posters.

type amenityRow struct {
	models.Amenity
	GroupName string
}

type amenitiesView struct {
	Rows      []amenityRow
	Enabled   int
	Pinned    int
	MaxPinned int
	TopCount  int
	Groups    []models.Group
	Icons     []iconChoice
	Place     outlet.Place
}

// iconChoice is one icon of the custom amenity form, named by what it
// shows in the catalog when it is an amenity's or a category's.
type iconChoice struct{ Name, Label string }

// Amenities lists every amenity with its switches, and the custom form.
func (st *Handler) Amenities(c *fiber.Ctx) error {
	all, err := st.Svc.AllAmenities(c.UserContext())
	if err != nil {
		return err
	}
	groups := map[string]string{}
	for _, g := range models.Groups {
		groups[g.Code] = g.ZH
	}
	place, err := st.Svc.Place(c.UserContext())
	if err != nil {
		return err
	}
	v := amenitiesView{Groups: models.Groups, Place: place, MaxPinned: outlet.MaxPinned, TopCount: outlet.TopCount}
	names := st.Pages.IconNames()
	slices.Sort(names)
	for _, name := range names {
		label := ""
		if a, ok := models.CatalogByCode(name); ok {
			label = a.ZH
		} else if k, ok := models.CategoryByCode(name); ok {
			label = k.ZH
		}
		v.Icons = append(v.Icons, iconChoice{Name: name, Label: label})
	}
	for _, a := range all {
		v.Rows = append(v.Rows, amenityRow{Amenity: a, GroupName: groups[a.Group]})
		if a.Enabled {
			v.Enabled++
		}
		if a.Enabled && a.Pinned {
			v.Pinned++
		}
	}
	return st.render(c, fiber.StatusOK, "amenities.html", st.page(c, "服务项目 Amenities", v))
}

// SetAmenityEnabled switches an amenity on (on=1) or off.
func (st *Handler) SetAmenityEnabled(c *fiber.Ctx) error {
	if err := st.Svc.SetAmenityEnabled(c.UserContext(), c.Params("code"), c.FormValue("on") == "1"); err != nil {
		return web.Retype(c, err, st.Amenities)
	}
	return st.backToRow(c)
}

// SetAmenityPinned pins an amenity to the top of the station page
// (on=1), or unpins it.
func (st *Handler) SetAmenityPinned(c *fiber.Ctx) error {
	if err := st.Svc.SetAmenityPinned(c.UserContext(), c.Params("code"), c.FormValue("on") == "1"); err != nil {
		return web.Retype(c, err, st.Amenities)
	}
	return st.backToRow(c)
}

// MoveAmenity moves an amenity up or down the kiosk list.
func (st *Handler) MoveAmenity(c *fiber.Ctx) error {
	delta := 1
	if c.FormValue("dir") == "up" {
		delta = -1
	}
	if err := st.Svc.MoveAmenity(c.UserContext(), c.Params("code"), delta); err != nil {
		return web.Retype(c, err, st.Amenities)
	}
	return st.backToRow(c)
}

// backToRow returns to the Amenities page at the row just changed, not
// at the top of a long list.
func (st *Handler) backToRow(c *fiber.Ctx) error {
	return c.Redirect(st.path("/staff/amenities?done=amenities#a-")+url.PathEscape(c.Params("code")), fiber.StatusSeeOther)
}

// AddAmenity adds a custom amenity with an icon from the embedded set.
func (st *Handler) AddAmenity(c *fiber.Ctx) error {
	a := models.Amenity{Code: strings.TrimSpace(c.FormValue("code")), ZH: c.FormValue("zh"), EN: c.FormValue("en"),
		Group: c.FormValue("group"), Icon: c.FormValue("icon")}
	if !st.Pages.HasIcon(a.Icon) {
		return web.Retype(c, models.Errorf(models.EINVALID, "请从图标库中选择图标 / choose an icon from the set"), st.Amenities)
	}
	if err := st.Svc.AddCustomAmenity(c.UserContext(), a); err != nil {
		return web.Retype(c, err, st.Amenities)
	}
	return web.RedirectDone(c, st.path("/staff/amenities"), "amenities")
}

// SetOpeningHours saves the station's opening hours.
func (st *Handler) SetOpeningHours(c *fiber.Ctx) error {
	if err := st.Svc.SetOpeningHours(c.UserContext(), c.FormValue("hours")); err != nil {
		return web.Retype(c, err, st.Amenities)
	}
	return web.RedirectDone(c, st.path("/staff/amenities"), "hours")
}

// SetPlace saves the station's address and coordinates, which the
// branch's public directory shows.
func (st *Handler) SetPlace(c *fiber.Ctx) error {
	if err := st.Svc.SetPlace(c.UserContext(), c.FormValue("address"), c.FormValue("lat"), c.FormValue("lng")); err != nil {
		return web.Retype(c, err, st.Amenities)
	}
	return web.RedirectDone(c, st.path("/staff/amenities"), "place")
}

// postersView tells the Posters page where the printed codes point: at
// the public gateway (phones on any network) when there is one, with the
// outlet's own address still available for Wi-Fi-only codes.
type postersView struct {
	Public, Local string // a station page URL of each (Public "" without a gateway)
	WiFi          string // the Wi-Fi the poster offers to join, if any
}

// Posters shows the print links and the "replace posters" form.
func (st *Handler) Posters(c *fiber.Ctx) error {
	cfg := st.Svc.Config()
	v := postersView{Local: st.Svc.LocalStationURL("", "…"), WiFi: cfg.WiFiSSID}
	if cfg.PublicURL != "" {
		v.Public = st.Svc.StationURL("", "…")
	}
	return st.render(c, fiber.StatusOK, "posters.html", st.page(c, "海报 Posters", v))
}

// qrURL is the URL a printed code of amenity ("" the station) carries:
// the public one, or with ?via=local the outlet's own.
func (st *Handler) qrURL(c *fiber.Ctx, amenity string) string {
	if c.Query("via") == "local" {
		return st.Svc.LocalStationURL(amenity, st.Svc.PosterToken(amenity))
	}
	return st.Svc.StationURL(amenity, st.Svc.PosterToken(amenity))
}

type stickerView struct {
	models.Amenity
	QR template.HTML
}

// StationPoster is the printable A4 station poster, with a second, smaller
// code that joins the station's Wi-Fi when one is configured. Opening it
// counts as printing the current version (see Service.RecordPostersPrinted).
func (st *Handler) StationPoster(c *fiber.Ctx) error {
	if err := st.Svc.RecordPostersPrinted(c.UserContext()); err != nil {
		return err
	}
	qr, err := kioskweb.QRSVG(st.qrURL(c, ""))
	if err != nil {
		return err
	}
	v := struct {
		QR, WiFiQR template.HTML
		WiFi       string
		Amenities  []models.Amenity
	}{QR: qr, Amenities: st.Svc.Profile().Amenities}
	if cfg := st.Svc.Config(); cfg.WiFiSSID != "" {
		if v.WiFiQR, err = kioskweb.QRSVG(kioskweb.WiFiJoin(cfg.WiFiSSID, cfg.WiFiPassword)); err != nil {
			return err
		}
		v.WiFi = cfg.WiFiSSID
	}
	return st.render(c, fiber.StatusOK, "poster_station.html", st.page(c, "网点海报 Station poster", v))
}

// stickersPerPage fit one A4 sheet.
const stickersPerPage = 12

// Stickers is the printable sheet of amenity stickers, one QR each;
// opening it counts as printing, as for the station poster.
func (st *Handler) Stickers(c *fiber.Ctx) error {
	if err := st.Svc.RecordPostersPrinted(c.UserContext()); err != nil {
		return err
	}
	var pages [][]stickerView
	for i, a := range st.Svc.Profile().Amenities {
		qr, err := kioskweb.QRSVG(st.qrURL(c, a.Code))
		if err != nil {
			return err
		}
		if i%stickersPerPage == 0 {
			pages = append(pages, nil)
		}
		pages[len(pages)-1] = append(pages[len(pages)-1], stickerView{Amenity: a, QR: qr})
	}
	v := struct{ Pages [][]stickerView }{pages}
	return st.render(c, fiber.StatusOK, "poster_stickers.html", st.page(c, "服务项目贴纸 Stickers", v))
}

// ReplacePosters bumps the poster version after an explicit confirmation.
func (st *Handler) ReplacePosters(c *fiber.Ctx) error {
	if c.FormValue("confirm") != "yes" {
		return web.Retype(c, models.Errorf(models.EINVALID, "请勾选确认框 / tick the confirmation box"), st.Posters)
	}
	if _, err := st.Svc.ReplacePosters(c.UserContext()); err != nil {
		return err
	}
	return web.RedirectDone(c, st.path("/staff/posters"), "replaced")
}
