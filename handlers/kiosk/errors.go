package kiosk

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/handlers/web"
	kioskweb "harbor/kiosk-web"
	"harbor/models"
)

// ErrorPage answers an error on a worker page, in the worker's language,
// never as a dead end. A form the worker can send again (nothing ticked, a
// service withdrawn meanwhile, too many posts a minute) comes back with
// everything chosen or typed and a word why; anything else (or a form
// that cannot come back, its sticker's service withdrawn) gets a page that
// says what happened, with the language link and a way on: try again, or
// tell the staff through the feedback form.
func (k *Handler) ErrorPage(c *fiber.Ctx, e *models.Error) error {
	lang := langOf(c)
	t := kioskweb.Texts(lang)
	status := web.StatusOf(e.Code)
	st, scope, isForm := k.formPath(c.Path())
	if isForm && c.Method() == fiber.MethodPost && refillable(e.Code) && k.refill(c, st, status, scope, t, e) == nil {
		return nil
	}
	p := &kioskPage{T: t, Lang: lang, Title: errorTitle(t, e, c.Method()),
		Message: friendlyMessage(t, e), LangURL: sameURL(c, t["other_code"])}
	switch e.Code {
	case models.ERATELIMIT, models.EINTERNAL, models.EUNAVAILABLE, models.ETIMEOUT:
		p.RetryURL = sameURL(c, lang)
	}
	if st != nil {
		p.Station = st.Profile()
		p.FeedbackURL = k.feedbackURL(st, lang, "")
	} else if home, err := k.Stations.Station(""); err == nil {
		p.Station = home.Profile() // the outlet's own, on any page of its server
	}
	return k.render(c, status, "error.html", p)
}

// refill shows the posted form of scope ("" the station, an amenity's
// sticker, or "feedback") again with everything chosen and the problem.
func (k *Handler) refill(c *fiber.Ctx, st Station, status int, scope string, t kioskweb.Text, e *models.Error) error {
	problem := friendlyMessage(t, e)
	if scope == "feedback" {
		return k.refillFeedback(c, st, status, problem)
	}
	ch := choicesOf(c)
	if e.Code == models.EINVALID && len(ch.Amenities) == 0 && scope == "" {
		problem = t["choose"]
	}
	return k.renderForm(c, st, status, scope, c.FormValue("t"), ch, problem)
}

// sameURL is the address of the page that failed, in lang: the same URL
// for a GET, the form's page with its token for a POST.
func sameURL(c *fiber.Ctx, lang string) string {
	if c.Method() == fiber.MethodGet {
		return withQuery(c, "lang", lang)
	}
	return kioskURL(c.Path(), c.FormValue("t"), lang, nil)
}

// formPath tells whether path is a worker form of a station served here:
// {prefix}/k/{outlet} (scope ""), …/{amenity} or …/feedback. st is nil
// when the path is under no station served here.
func (k *Handler) formPath(path string) (st Station, scope string, ok bool) {
	rest, found := strings.CutPrefix(path, k.Prefix+"/k/")
	if !found {
		return nil, "", false
	}
	code, scope, _ := strings.Cut(rest, "/")
	code, err := url.PathUnescape(code)
	if err != nil || code == "" {
		return nil, "", false
	}
	if st, err = k.Stations.Station(code); err != nil {
		return nil, "", false
	}
	return st, scope, scope != "done" && !strings.Contains(scope, "/")
}

// refillable are the errors after which a worker's form comes back filled.
func refillable(code string) bool {
	switch code {
	case models.EINVALID, models.ERATELIMIT, models.EUNAVAILABLE:
		return true
	}
	return false
}

// errorTitle heads the error page: what happened, in the worker's words.
func errorTitle(t kioskweb.Text, e *models.Error, method string) string {
	switch e.Code {
	case models.ETOKEN, models.EREPLACED, models.EEXPIRED:
		return t["code_title"]
	case models.ENOTFOUND:
		return t["not_found_title"]
	case models.EUNAUTHORIZED:
		return t["locked_title"]
	}
	if method == fiber.MethodPost {
		return t["error_title"]
	}
	return t["error_generic"]
}

// friendlyMessage is what a worker reads for an error code.
func friendlyMessage(t kioskweb.Text, e *models.Error) string {
	key := map[string]string{
		models.ERATELIMIT: "rate_limited", models.ETOKEN: "bad_token", models.EREPLACED: "replaced",
		models.EEXPIRED: "expired", models.ENOTFOUND: "not_found", models.EINVALID: "invalid",
		models.EINTERNAL: "internal", models.EUNAVAILABLE: "internal", models.ETIMEOUT: "slow",
		models.EUNAUTHORIZED: "locked",
	}[e.Code]
	if key == "" {
		key = "invalid"
	}
	return t[key]
}
