package kiosk

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
)

// The workers' feedback form, linked from the station and success pages:
// a rating, an optional amenity and a short text; nothing personal.

// FeedbackForm shows the form, or the thanks after it was sent (?sent=1).
// ?rating= and ?amenity= preselect, so that the language link keeps them.
func (k *Handler) FeedbackForm(c *fiber.Ctx) error {
	st, err := k.station(c)
	if err != nil {
		return err
	}
	p := k.feedbackPage(c, st, c.Query("rating"), c.Query("amenity"), "")
	if c.Query("sent") != "" {
		p.Message = p.T["fb_thanks"]
	}
	return k.render(c, fiber.StatusOK, "feedback.html", p)
}

// SubmitFeedback stores the feedback, then redirects to the thanks. A form
// that cannot be taken comes back filled in (ErrorPage, refillFeedback).
func (k *Handler) SubmitFeedback(c *fiber.Ctx) error {
	st, err := k.station(c)
	if err != nil {
		return err
	}
	rating, _ := strconv.Atoi(c.FormValue("rating"))
	err = st.SubmitFeedback(c.UserContext(), outlet.FeedbackInput{
		Rating: rating, Amenity: c.FormValue("amenity"), Text: c.FormValue("text")})
	if err != nil {
		return err
	}
	q := url.Values{"sent": {"1"}}
	return c.Redirect(kioskURL(c.Path(), keptToken(c.FormValue("t")), langOf(c), q), fiber.StatusSeeOther)
}

// refillFeedback shows the posted feedback form again with what was
// chosen and typed, and the problem.
func (k *Handler) refillFeedback(c *fiber.Ctx, st Station, status int, problem string) error {
	p := k.feedbackPage(c, st, c.FormValue("rating"), c.FormValue("amenity"), c.FormValue("text"))
	if r, _ := strconv.Atoi(c.FormValue("rating")); r < 1 || r > 5 {
		problem = p.T["fb_pick"]
	}
	p.Problem = problem
	return k.render(c, status, "feedback.html", p)
}

// feedbackPage fills what the form needs, with rating, amenity and text
// as chosen so far. The QR token the worker came with only travels along
// (the form needs none); when it is the station's, it leads back there.
func (k *Handler) feedbackPage(c *fiber.Ctx, st Station, rating, amenity, text string) *kioskPage {
	p := k.page(c, st.Profile(), "")
	p.Title = p.T["feedback"]
	p.Action = k.stationPath(st, "/feedback")
	p.Groups = AmenityGroups(st.Profile().Amenities, p.Lang, func(a string) bool { return a == amenity })
	for r := 1; r <= 5; r++ {
		n := strconv.Itoa(r)
		p.Ratings = append(p.Ratings, ItemView{Code: n, Name: p.T["fb_r"+n], Checked: n == rating})
	}
	p.Text = text
	p.Token = keptToken(c.Query("t", c.FormValue("t")))
	if stationToken(st, p.Token) != "" {
		p.BackURL = kioskURL(k.stationPath(st, ""), p.Token, p.Lang, nil)
	}
	keep := url.Values{}
	if _, err := strconv.Atoi(rating); err == nil {
		keep.Set("rating", rating)
	}
	if amenity != "" {
		keep.Set("amenity", amenity)
	}
	p.LangURL = kioskURL(p.Action, p.Token, p.T["other_code"], keep)
	return p
}

// keptToken is a token a page carries along unchecked: any that is not
// absurdly long.
func keptToken(tok string) string {
	if len(tok) > 64 {
		return ""
	}
	return tok
}

// stationToken is tok when it opens st's station page, else "".
func stationToken(st Station, tok string) string {
	if _, err := st.VerifyToken(st.Profile().Code, "", tok); err != nil {
		return ""
	}
	return tok
}
