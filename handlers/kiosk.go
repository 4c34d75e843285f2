package handlers

import (
	"crypto/subtle"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Kiosk serves the worker pages: station, amenity sticker, success, lobby display.
type Kiosk struct {
	Svc   *outlet.Service
	Pages *kioskweb.Pages
	// Metrics counts check-ins by channel.
	Metrics *Metrics
}

const (
	visitorCookie = "hv"
	displayCookie = "hd"
)

// kioskPage is what every worker page template receives.
type kioskPage struct {
	T          kioskweb.Text
	Lang       string
	Title      string
	Station    *models.Profile
	LangURL    string
	Action     string
	Token      string
	Problem    string
	Groups     []groupView
	Categories []itemView
	Ratings    []itemView
	Scope      itemView
	Recorded   []itemView
	Duplicates []itemView
	BackURL    string
	Message    string
	Refresh    int
	QR         template.HTML
	Today      int
}

type itemView struct{ Code, Name, Icon string }

type groupView struct {
	Name      string
	Amenities []itemView
}

func (k *Kiosk) page(c *fiber.Ctx, title string) *kioskPage {
	lang := langOf(c)
	t := kioskweb.Texts(lang)
	if title == "" {
		title = t["welcome"]
	}
	return &kioskPage{T: t, Lang: lang, Title: title, Station: k.Svc.Profile(), LangURL: withQuery(c, "lang", t["other_code"])}
}

// langOf is the worker's language: ?lang=, the form's lang, or the browser's.
func langOf(c *fiber.Ctx) string {
	return kioskweb.Lang(c.Query("lang"), c.FormValue("lang"), c.Get(fiber.HeaderAcceptLanguage))
}

// withQuery returns the current URL with one query parameter replaced.
func withQuery(c *fiber.Ctx, key, value string) string {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	q.Set(key, value)
	return c.Path() + "?" + q.Encode()
}

func (k *Kiosk) render(c *fiber.Ctx, status int, name string, p *kioskPage) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(status)
	return k.Pages.Render(c, name, p)
}

func (k *Kiosk) amenityView(a models.Amenity, lang string) itemView {
	return itemView{Code: a.Code, Name: a.Name(lang), Icon: a.Icon}
}

// groups arranges the enabled amenities under their group headings.
func (k *Kiosk) groups(lang string) []groupView {
	byGroup := map[string][]itemView{}
	for _, a := range k.Svc.Profile().Amenities {
		byGroup[a.Group] = append(byGroup[a.Group], k.amenityView(a, lang))
	}
	var out []groupView
	for _, g := range models.Groups {
		if items := byGroup[g.Code]; len(items) > 0 {
			name := g.ZH
			if lang == "en" {
				name = g.EN
			}
			out = append(out, groupView{Name: name, Amenities: items})
		}
	}
	return out
}

func categories(lang string) []itemView {
	out := make([]itemView, len(models.Categories))
	for i, c := range models.Categories {
		name := c.ZH
		if lang == "en" {
			name = c.EN
		}
		out[i] = itemView{Code: c.Code, Name: name, Icon: c.Code}
	}
	return out
}

// Station shows the station page: every enabled amenity as a big button.
func (k *Kiosk) Station(c *fiber.Ctx) error {
	return k.showForm(c, "")
}

// Amenity shows a sticker's one-tap confirmation page.
func (k *Kiosk) Amenity(c *fiber.Ctx) error {
	return k.showForm(c, c.Params("amenity"))
}

func (k *Kiosk) showForm(c *fiber.Ctx, scope string) error {
	outletCode, tok := c.Params("outlet"), c.Query("t")
	var a models.Amenity
	if scope != "" {
		var ok bool
		if a, ok = k.Svc.EnabledAmenity(scope); !ok {
			return models.Errorf(models.ENOTFOUND, "this service is not offered here")
		}
	}
	grant, err := k.Svc.VerifyToken(outletCode, scope, tok)
	if err != nil {
		return err
	}
	if grant.Kind == 'l' {
		// A live code is short-lived: give the form a ticket that lasts
		// long enough to tick the amenities.
		tok = k.Svc.FormTicket(scope)
	}
	ensureVisitor(c)
	p := k.page(c, "")
	p.Token, p.Action = tok, c.Path()
	p.LangURL = c.Path() + "?" + url.Values{"t": {tok}, "lang": {p.T["other_code"]}}.Encode()
	if scope != "" {
		p.Scope = k.amenityView(a, p.Lang)
		p.Title = p.Scope.Name
		return k.render(c, fiber.StatusOK, "amenity.html", p)
	}
	p.Groups, p.Categories = k.groups(p.Lang), categories(p.Lang)
	return k.render(c, fiber.StatusOK, "station.html", p)
}

// ensureVisitor returns the visitor id from the cookie, setting a new one
// when it is missing or malformed.
func ensureVisitor(c *fiber.Ctx) string {
	id := c.Cookies(visitorCookie)
	if outlet.ValidVisitorID(id) {
		return id
	}
	id = outlet.NewVisitorID()
	setVisitorCookie(c, id)
	return id
}

func setVisitorCookie(c *fiber.Ctx, id string) {
	c.Cookie(&fiber.Cookie{Name: visitorCookie, Value: id, Path: "/", MaxAge: 400 * 24 * 3600,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
}

// visitorOf fills who posts the check-in req and from where: the visitor
// cookie the station page set, or, when the post came without it, the id
// made from the client's address and browser (outlet.CookielessID), which
// is set as the cookie for the next post.
func visitorOf(c *fiber.Ctx, svc *outlet.Service, req *outlet.CheckInRequest) {
	req.Client = outlet.Client{Addr: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}
	if req.VisitorID = c.Cookies(visitorCookie); outlet.ValidVisitorID(req.VisitorID) {
		return
	}
	req.VisitorID, req.Cookieless = svc.CookielessID(req.Client), true
	setVisitorCookie(c, req.VisitorID)
}

// Submit records the form POST of the station or a sticker page, then
// redirects to the success page (POST/redirect/GET, works without JavaScript).
func (k *Kiosk) Submit(c *fiber.Ctx) error {
	scope := c.Params("amenity")
	req := outlet.CheckInRequest{
		Outlet:   c.Params("outlet"),
		Scope:    scope,
		Token:    c.FormValue("t"),
		Category: c.FormValue("c"),
	}
	visitorOf(c, k.Svc, &req)
	for _, v := range c.Request().PostArgs().PeekMulti("a") {
		req.Amenities = append(req.Amenities, string(v))
	}
	res, err := k.Svc.RecordCheckIn(c.UserContext(), req)
	if err != nil {
		if len(req.Amenities) == 0 && scope == "" && models.ErrorCode(err) == models.EINVALID {
			// Nothing ticked: show the form again with a word why.
			p := k.page(c, "")
			p.Token, p.Action, p.Problem = req.Token, c.Path(), p.T["choose"]
			p.Groups, p.Categories = k.groups(p.Lang), categories(p.Lang)
			return k.render(c, fiber.StatusBadRequest, "station.html", p)
		}
		return err
	}
	if len(res.Recorded) > 0 {
		k.Metrics.CheckIn(res.Channel, 1)
	}
	q := url.Values{}
	q.Set("r", strings.Join(res.Recorded, ","))
	q.Set("d", strings.Join(res.Duplicates, ","))
	q.Set("t", req.Token)
	q.Set("lang", langOf(c))
	if scope != "" {
		q.Set("s", scope)
	}
	return c.Redirect("/k/"+url.PathEscape(req.Outlet)+"/done?"+q.Encode(), fiber.StatusSeeOther)
}

// Done is the success page. Its query only echoes what was recorded; codes
// that are not enabled amenities are ignored.
func (k *Kiosk) Done(c *fiber.Ctx) error {
	p := k.page(c, "")
	p.Title = p.T["done_title"]
	p.Token = c.Query("t")
	p.Recorded = k.items(c.Query("r"), p.Lang)
	p.Duplicates = k.items(c.Query("d"), p.Lang)
	if tok := c.Query("t"); tok != "" {
		back := "/k/" + url.PathEscape(c.Params("outlet"))
		if s := c.Query("s"); s != "" {
			if _, ok := k.Svc.EnabledAmenity(s); ok {
				back += "/" + url.PathEscape(s)
			}
		}
		p.BackURL = back + "?" + url.Values{"t": {tok}, "lang": {p.Lang}}.Encode()
	}
	return k.render(c, fiber.StatusOK, "done.html", p)
}

func (k *Kiosk) items(list, lang string) []itemView {
	var out []itemView
	for _, code := range strings.Split(list, ",") {
		if a, ok := k.Svc.EnabledAmenity(code); ok {
			out = append(out, k.amenityView(a, lang))
		}
	}
	return out
}

// Home is what someone who opens the bare address sees.
func (k *Kiosk) Home(c *fiber.Ctx) error {
	p := k.page(c, "")
	p.Message = p.T["display_scan"]
	return k.render(c, fiber.StatusOK, "home.html", p)
}

// Display is the lobby screen's rotating QR. It is unlocked once with
// /display?key=KEY (printed at start-up), which sets a cookie.
func (k *Kiosk) Display(c *fiber.Ctx) error {
	want, err := k.Svc.DisplayKey(c.UserContext())
	if err != nil {
		return err
	}
	if key := c.Query("key"); key != "" {
		if subtle.ConstantTimeCompare([]byte(key), []byte(want)) != 1 {
			return models.Errorf(models.EUNAUTHORIZED, "wrong display key")
		}
		c.Cookie(&fiber.Cookie{Name: displayCookie, Value: want, Path: "/display", MaxAge: 365 * 24 * 3600,
			HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode, Secure: c.Protocol() == "https"})
		return c.Redirect("/display", fiber.StatusSeeOther)
	}
	if subtle.ConstantTimeCompare([]byte(c.Cookies(displayCookie)), []byte(want)) != 1 {
		return models.Errorf(models.EUNAUTHORIZED, "this screen is not unlocked: open the display address with its key")
	}
	prof := k.Svc.Profile()
	qr, err := kioskweb.QRSVG(k.Svc.StationURL("", k.Svc.LiveToken()))
	if err != nil {
		return err
	}
	today, err := k.Svc.TodayTotals(c.UserContext())
	if err != nil {
		return err
	}
	p := k.page(c, prof.Name)
	p.QR, p.Today, p.Refresh = qr, today.CheckIns, int(outlet.LiveWindow/time.Second/3)
	return k.render(c, fiber.StatusOK, "display.html", p)
}
