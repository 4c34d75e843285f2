package web

import (
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// Console forms that fail on what was typed come back as the page they
// were sent from, with the problem in both languages above the form and
// every field as it was typed, instead of an error page that loses it.
// The same holds for a page whose address asks for something it cannot
// show (?month=2026-13): the page shows its default with the problem.

// Typed is a console request that failed on its input: the problem and,
// for a form, the values sent (never passwords or the CSRF token).
type Typed struct {
	Problem *models.Error
	Form    url.Values
}

const typedKey = "harbor.typed"

// fixable reports whether err is about the input, so that the page should
// come back with it rather than an error page.
func fixable(err error) (*models.Error, bool) {
	var e *models.Error
	if !errors.As(err, &e) {
		return nil, false
	}
	switch e.Code {
	case models.EINVALID, models.ECONFLICT:
		return e, true
	}
	return e, false
}

// Retype answers a form post that failed with err: for a fixable err it
// shows the page of show again with the problem and what was typed; any
// other error goes to the error page.
func Retype(c *fiber.Ctx, err error, show fiber.Handler) error {
	e, ok := fixable(err)
	if !ok {
		return err
	}
	form := url.Values{}
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if key := string(k); key != "_csrf" && key != "password" && key != "current" && key != "new" && key != "repeat" {
			form.Add(key, string(v))
		}
	})
	c.Locals(typedKey, &Typed{Problem: e, Form: form})
	return show(c)
}

// queryProblem records a fixable problem with the page's address, so that
// the page shows its default view with the problem; it reports whether
// err was such a problem (nil is not).
func queryProblem(c *fiber.Ctx, err error) bool {
	e, ok := fixable(err)
	if ok {
		c.Locals(typedKey, &Typed{Problem: e})
	}
	return ok
}

// OrDefault shows a page whose address asks for what it cannot show
// (?month=2026-13) as its default view with the problem above it, rather
// than an error page.
func OrDefault(page fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := page(c)
		if err == nil || len(c.Request().URI().QueryString()) == 0 || !queryProblem(c, err) {
			return err
		}
		c.Request().URI().SetQueryString("")
		return page(c)
	}
}

// TypedOf returns the request's failed input, or nil.
func TypedOf(c *fiber.Ctx) *Typed {
	t, _ := c.Locals(typedKey).(*Typed)
	return t
}

// Status is the page's status: the problem's when there is one.
func (t *Typed) Status(ok int) int {
	if t == nil {
		return ok
	}
	return StatusOf(t.Problem.Code)
}
