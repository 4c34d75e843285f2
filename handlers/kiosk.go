package handlers

import (
	"crypto/subtle"
	"fmt"
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
	Scope       itemView     // a sticker's amenity
	Recorded    []itemView
	Duplicates  []itemView
	BackURL     string
	BackText    string
	RetryURL    string
	Message     string

	// The feedback form.
	Groups  []groupView
	Ratings []itemView
	Text    string

	// The lobby display.
	QR      template.HTML
	Today   int
	Display *displayFiles
	Refresh int // seconds between the display's updates
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

// feedbackURL is the feedback form's address; tok, when the worker came
// with one, leads back to the station page from there.
func (k *Kiosk) feedbackURL(lang, tok string) string {
	return kioskURL("/k/"+url.PathEscape(k.Svc.Profile().Code)+"/feedback", tok, lang, nil)
}

// Station shows the station page: the top amenities, the worker
// categories, and every other amenity behind 更多服务.
func (k *Kiosk) Station(c *fiber.Ctx) error {
	return k.showForm(c, "")
}

// Amenity shows a sticker's one-tap confirmation page.
func (k *Kiosk) Amenity(c *fiber.Ctx) error {
	return k.showForm(c, c.Params("amenity"))
}

func (k *Kiosk) showForm(c *fiber.Ctx, scope string) error {
	outletCode, tok := c.Params("outlet"), c.Query("t")
	if scope != "" {
		if _, ok := k.Svc.EnabledAmenity(scope); !ok {
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
	return k.renderForm(c, fiber.StatusOK, scope, tok, choicesOf(c), "")
}

// renderForm shows the station page (scope "") or a sticker's page with
// the token, the worker's choices and a problem to explain, if any.
func (k *Kiosk) renderForm(c *fiber.Ctx, status int, scope, tok string, ch choices, problem string) error {
	p := k.page(c, "")
	p.Token, p.Action, p.Problem = tok, c.Path(), problem
	p.FeedbackURL = k.feedbackURL(p.Lang, tok)
	if scope != "" {
		a, ok := k.Svc.EnabledAmenity(scope)
		if !ok {
			return models.Errorf(models.ENOTFOUND, "this service is not offered here")
		}
		p.Scope = k.amenityView(a, p.Lang)
		p.Title = p.Scope.Name
		p.LangURL = kioskURL(c.Path(), tok, p.T["other_code"], nil)
		return k.render(c, status, "amenity.html", p)
	}
	top, err := k.Svc.TopAmenities(c.UserContext())
	if err != nil {
		return err
	}
	p.Form = newStationView(k.Svc.Profile(), top, p.Lang, p.T["skip_category"], ch)
	p.LangURL = kioskURL(c.Path(), tok, p.T["other_code"], ch.query(url.Values{}))
	return k.render(c, status, "station.html", p)
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
	req.Client = outlet.Client{Addr: clientIP(c), UserAgent: c.Get(fiber.HeaderUserAgent)}
	if req.VisitorID = c.Cookies(visitorCookie); outlet.ValidVisitorID(req.VisitorID) {
		return
	}
	req.VisitorID, req.Cookieless = svc.CookielessID(req.Client), true
	setVisitorCookie(c, req.VisitorID)
}

// Submit records the form POST of the station or a sticker page, then
// redirects to the success page (POST/redirect/GET, works without JavaScript).
// A choice the form cannot take (nothing ticked, a service withdrawn
// meanwhile) shows the form again with the worker's choices and a word why.
func (k *Kiosk) Submit(c *fiber.Ctx) error {
	scope := c.Params("amenity")
	ch := choicesOf(c)
	req := outlet.CheckInRequest{
		Outlet:    c.Params("outlet"),
		Scope:     scope,
		Token:     c.FormValue("t"),
		Category:  c.FormValue("c"),
		Amenities: ch.Amenities,
	}
	visitorOf(c, k.Svc, &req)
	res, err := k.Svc.RecordCheckIn(c.UserContext(), req)
	if err != nil {
		return err // the station form comes back for what the worker can fix (workerError)
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
	return c.Redirect(kioskURL("/k/"+url.PathEscape(req.Outlet)+"/done", req.Token, langOf(c), q), fiber.StatusSeeOther)
}

// Done is the success page. Its query only echoes what was recorded; codes
// that are not enabled amenities are ignored.
func (k *Kiosk) Done(c *fiber.Ctx) error {
	p := k.page(c, "")
	p.Token = c.Query("t")
	p.Recorded = k.items(c.Query("r"), p.Lang)
	p.Duplicates = k.items(c.Query("d"), p.Lang)
	p.Title = p.T["done_title"]
	if len(p.Recorded) == 0 {
		p.Title = p.T["nothing_title"]
	}
	p.FeedbackURL = k.feedbackURL(p.Lang, p.Token)
	if p.Token != "" {
		back, text := "/k/"+url.PathEscape(c.Params("outlet")), p.T["again"]
		if a, ok := k.Svc.EnabledAmenity(c.Query("s")); ok {
			// A sticker's code opens only its own page.
			back += "/" + url.PathEscape(a.Code)
			text = fmt.Sprintf(p.T["again_one"], a.Name(p.Lang))
		}
		p.BackURL, p.BackText = kioskURL(back, p.Token, p.Lang, nil), text
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
	p.QR, p.Today, p.Refresh = qr, today.CheckIns, DisplayRefresh
	p.Display = &displayFiles{CSS: k.Pages.StaticURL("display.css"), Script: k.Pages.StaticURL("display.js")}
	return k.render(c, fiber.StatusOK, "display.html", p)
}

// displayFiles are the lobby display's own stylesheet and script.
type displayFiles struct{ CSS, Script string }

// DisplayRefresh is how often the lobby display fetches a new code, in
// seconds: three times per live window, so a scan always finds a code
// that is still accepted.
const DisplayRefresh = int(outlet.LiveWindow / time.Second / 3)
