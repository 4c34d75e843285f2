package handlers

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/models"
)

// The workers' feedback form, linked from the station and success pages:
// a rating, an optional amenity and a short text; nothing personal.

// FeedbackForm shows the form, or the thanks after it was sent (?sent=1).
func (k *Kiosk) FeedbackForm(c *fiber.Ctx) error {
	p, err := k.feedbackPage(c)
	if err != nil {
		return err
	}
	if c.Query("sent") != "" {
		p.Message = p.T["fb_thanks"]
	}
	return k.render(c, fiber.StatusOK, "feedback.html", p)
}

// SubmitFeedback stores the feedback, then redirects to the thanks.
func (k *Kiosk) SubmitFeedback(c *fiber.Ctx) error {
	p, err := k.feedbackPage(c)
	if err != nil {
		return err
	}
	rating, _ := strconv.Atoi(c.FormValue("rating"))
	_, err = k.Svc.SubmitFeedback(c.UserContext(), outlet.FeedbackInput{
		Rating: rating, Amenity: c.FormValue("amenity"), Text: c.FormValue("text")})
	if models.ErrorCode(err) == models.EINVALID {
		p.Problem = p.T["invalid"]
		if rating < 1 || rating > 5 {
			p.Problem = p.T["fb_pick"]
		}
		return k.render(c, fiber.StatusBadRequest, "feedback.html", p)
	}
	if err != nil {
		return err
	}
	q := url.Values{"sent": {"1"}, "lang": {p.Lang}, "t": {p.Token}}
	return c.Redirect(p.Action+"?"+q.Encode(), fiber.StatusSeeOther)
}

// feedbackPage fills what the form needs. The station's QR token, when the
// worker came from the station page, only serves the way back.
func (k *Kiosk) feedbackPage(c *fiber.Ctx) (*kioskPage, error) {
	code := c.Params("outlet")
	if code != k.Svc.Profile().Code {
		return nil, models.Errorf(models.ENOTFOUND, "no station with code %q here", truncate(code, 40))
	}
	p := k.page(c, "")
	p.Title = p.T["feedback"]
	p.Action = "/k/" + url.PathEscape(code) + "/feedback"
	p.Groups = k.groups(p.Lang)
	for r := 1; r <= 5; r++ {
		n := strconv.Itoa(r)
		p.Ratings = append(p.Ratings, itemView{Code: n, Name: p.T["fb_r"+n]})
	}
	tok := c.Query("t", c.FormValue("t"))
	if _, err := k.Svc.VerifyToken(code, "", tok); err == nil {
		p.Token = tok
		p.BackURL = "/k/" + url.PathEscape(code) + "?" + url.Values{"t": {tok}, "lang": {p.Lang}}.Encode()
	}
	return p, nil
}
