// Package kiosk serves the worker pages: a station's form, its stickers'
// pages, the success page and the feedback form, the check-in API behind
// them, the outlet's lobby display and the public station directory. The
// outlet serves its own station; the public gateway every enrolled
// outlet's, through the same handlers (Station).
package kiosk

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// Handler serves the worker pages of a station: station, amenity sticker,
// success, feedback. The outlet serves its own station's; the public
// gateway every enrolled outlet's, through the same handlers.
type Handler struct {
	Stations Stations
	Pages    *kioskweb.Pages
	// Metrics counts check-ins by channel.
	Metrics *web.Metrics
	// Prefix is the path every route lives under behind a reverse proxy
	// (config.PathPrefix): every link and redirect starts with it.
	Prefix string
}

const (
	visitorCookie = "hv"
	displayCookie = "hd"
)

// kioskPage is what every worker page template receives.
type kioskPage struct {
	T           kioskweb.Text
	Lang        string
	Title       string
	Station     *models.Profile
	LangURL     string // the same page in the other language, token and choices kept
	FeedbackURL string
	Action      string
	Token       string
	Problem     string
	Form        *stationView // the station page
	Scope       ItemView     // a sticker's amenity
	Recorded    []ItemView
	Duplicates  []ItemView
	BackURL     string
	BackText    string
	RetryURL    string
	Message     string

	// The feedback form.
	Groups  []GroupView
	Ratings []ItemView
	Text    string

	// The lobby display.
	QR      template.HTML
	Today   int
	Display *displayFiles
	Refresh int // seconds between the display's updates
}

func (k *Handler) page(c *fiber.Ctx, station *models.Profile, title string) *kioskPage {
	lang := langOf(c)
	t := kioskweb.Texts(lang)
	if title == "" {
		title = t["welcome"]
	}
	return &kioskPage{T: t, Lang: lang, Title: title, Station: station, LangURL: withQuery(c, "lang", t["other_code"])}
}

// station is the station of the page's /k/{outlet}.
func (k *Handler) station(c *fiber.Ctx) (Station, error) {
	return k.Stations.Station(c.Params("outlet"))
}

// stationPath is the path of a station's page: /k/{outlet}, under the
// prefix, then rest ("/done", "/water").
func (k *Handler) stationPath(st Station, rest string) string {
	return k.Prefix + "/k/" + url.PathEscape(st.Profile().Code) + rest
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

func (k *Handler) render(c *fiber.Ctx, status int, name string, p *kioskPage) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Status(status)
	return k.Pages.Render(c, name, p)
}

func (k *Handler) amenityView(a models.Amenity, lang string) ItemView {
	return ItemView{Code: a.Code, Name: a.Name(lang), Icon: a.Icon}
}

// feedbackURL is the feedback form's address; tok, when the worker came
// with one, leads back to the station page from there.
func (k *Handler) feedbackURL(st Station, lang, tok string) string {
	return kioskURL(k.stationPath(st, "/feedback"), tok, lang, nil)
}

// Station shows the station page: the top amenities, the worker
// categories, and every other amenity behind 更多服务.
func (k *Handler) Station(c *fiber.Ctx) error {
	return k.showForm(c, "")
}

// Amenity shows a sticker's one-tap confirmation page.
func (k *Handler) Amenity(c *fiber.Ctx) error {
	return k.showForm(c, c.Params("amenity"))
}

func (k *Handler) showForm(c *fiber.Ctx, scope string) error {
	st, err := k.station(c)
	if err != nil {
		return err
	}
	tok := c.Query("t")
	if scope != "" {
		if _, ok := st.EnabledAmenity(scope); !ok {
			return models.Errorf(models.ENOTFOUND, "this service is not offered here")
		}
	}
	grant, err := st.VerifyToken(c.Params("outlet"), scope, tok)
	if err != nil {
		return err
	}
	if grant.Kind == 'l' {
		// A live code is short-lived: give the form a ticket that lasts
		// long enough to tick the amenities.
		tok = st.FormTicket(scope, tok)
	}
	ensureVisitor(c, k.Prefix)
	return k.renderForm(c, st, fiber.StatusOK, scope, tok, choicesOf(c), "")
}

// renderForm shows the station page (scope "") or a sticker's page with
// the token, the worker's choices and a problem to explain, if any.
func (k *Handler) renderForm(c *fiber.Ctx, st Station, status int, scope, tok string, ch choices, problem string) error {
	p := k.page(c, st.Profile(), "")
	p.Token, p.Action, p.Problem = tok, c.Path(), problem
	p.FeedbackURL = k.feedbackURL(st, p.Lang, tok)
	if scope != "" {
		a, ok := st.EnabledAmenity(scope)
		if !ok {
			return models.Errorf(models.ENOTFOUND, "this service is not offered here")
		}
		p.Scope = k.amenityView(a, p.Lang)
		p.Title = p.Scope.Name
		p.LangURL = kioskURL(c.Path(), tok, p.T["other_code"], nil)
		return k.render(c, status, "amenity.html", p)
	}
	top, err := st.TopAmenities(c.UserContext())
	if err != nil {
		return err
	}
	p.Form = newStationView(st.Profile(), top, p.Lang, p.T["skip_category"], ch)
	p.LangURL = kioskURL(c.Path(), tok, p.T["other_code"], ch.query(url.Values{}))
	return k.render(c, status, "station.html", p)
}

// ensureVisitor returns the visitor id from the cookie, setting a new one
// when it is missing or malformed. The cookie lives under prefix.
func ensureVisitor(c *fiber.Ctx, prefix string) string {
	id := c.Cookies(visitorCookie)
	if outlet.ValidVisitorID(id) {
		return id
	}
	id = outlet.NewVisitorID()
	setVisitorCookie(c, prefix, id)
	return id
}

func setVisitorCookie(c *fiber.Ctx, prefix, id string) {
	c.Cookie(&fiber.Cookie{Name: visitorCookie, Value: id, Path: prefix + "/", MaxAge: 400 * 24 * 3600,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: c.Protocol() == "https"})
}

// visitorOf fills who posts the check-in req and from where: the visitor
// cookie the station page set, or, when the post came without it, the id
// made from the client's address and browser (outlet.CookielessID), which
// is set as the cookie for the next post.
func (k *Handler) visitorOf(c *fiber.Ctx, st Station, req *outlet.CheckInRequest) {
	req.Client = outlet.Client{Addr: web.ClientAddr(c), UserAgent: c.Get(fiber.HeaderUserAgent)}
	if req.VisitorID = c.Cookies(visitorCookie); outlet.ValidVisitorID(req.VisitorID) {
		return
	}
	req.VisitorID, req.Cookieless = st.CookielessID(req.Client), true
	setVisitorCookie(c, k.Prefix, req.VisitorID)
}

// Submit records the form POST of the station or a sticker page, then
// redirects to the success page (POST/redirect/GET, works without JavaScript).
// A choice the form cannot take (nothing ticked, a service withdrawn
// meanwhile) shows the form again with the worker's choices and a word why.
func (k *Handler) Submit(c *fiber.Ctx) error {
	st, err := k.station(c)
	if err != nil {
		return err
	}
	scope := c.Params("amenity")
	ch := choicesOf(c)
	req := outlet.CheckInRequest{
		Outlet:    c.Params("outlet"),
		Scope:     scope,
		Token:     c.FormValue("t"),
		Category:  c.FormValue("c"),
		Amenities: ch.Amenities,
	}
	k.visitorOf(c, st, &req)
	res, err := st.RecordCheckIn(c.UserContext(), req)
	if err != nil {
		return err // the station form comes back for what the worker can fix (ErrorPage)
	}
	if len(res.Recorded) > 0 {
		k.Metrics.CheckIn(res.Channel, 1)
	}
	q := url.Values{}
	q.Set("r", strings.Join(res.Recorded, ","))
	q.Set("d", strings.Join(res.Duplicates, ","))
	if scope != "" {
		q.Set("s", scope)
	}
	return c.Redirect(kioskURL(k.stationPath(st, "/done"), req.Token, langOf(c), q), fiber.StatusSeeOther)
}

// Done is the success page. Its query only echoes what was recorded; codes
// that are not enabled amenities are ignored.
func (k *Handler) Done(c *fiber.Ctx) error {
	st, err := k.station(c)
	if err != nil {
		return err
	}
	p := k.page(c, st.Profile(), "")
	p.Token = c.Query("t")
	p.Recorded = k.items(st, c.Query("r"), p.Lang)
	p.Duplicates = k.items(st, c.Query("d"), p.Lang)
	p.Title = p.T["done_title"]
	if len(p.Recorded) == 0 {
		p.Title = p.T["nothing_title"]
	}
	p.FeedbackURL = k.feedbackURL(st, p.Lang, p.Token)
	if p.Token != "" {
		back, text := k.stationPath(st, ""), p.T["again"]
		if a, ok := st.EnabledAmenity(c.Query("s")); ok {
			// A sticker's code opens only its own page.
			back += "/" + url.PathEscape(a.Code)
			text = fmt.Sprintf(p.T["again_one"], a.Name(p.Lang))
		}
		p.BackURL, p.BackText = kioskURL(back, p.Token, p.Lang, nil), text
	}
	return k.render(c, fiber.StatusOK, "done.html", p)
}

func (k *Handler) items(st Station, list, lang string) []ItemView {
	var out []ItemView
	for _, code := range strings.Split(list, ",") {
		if a, ok := st.EnabledAmenity(code); ok {
			out = append(out, k.amenityView(a, lang))
		}
	}
	return out
}
