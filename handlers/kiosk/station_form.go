package kiosk

import (
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"harbor/models"
)

// stationView is everything the station form shows: the outlet's top
// amenities, the worker categories, the other amenities by group, and
// what the worker has chosen so far. It is built in one place
// (newStationView) from the outlet's profile and top list, so that another
// role serving these pages (the public gateway) can build it from the data
// an outlet sends it.
type stationView struct {
	Top        []ItemView  // most used or pinned, shown first
	Categories []ItemView  // the first is "not chosen"
	More       []GroupView // every other amenity, behind 更多服务
	MoreOpen   bool        // a ticked amenity is among More: show them open
}

// ItemView is an amenity, a category or a rating as a form offers it.
type ItemView struct {
	Code, Name, Icon string
	Checked          bool
}

// GroupView is a group's heading with its amenities.
type GroupView struct {
	Name      string
	Amenities []ItemView
}

// choices are what a worker ticked and picked: kept in every link and
// re-rendered form so that nothing chosen is lost (a warning, a language
// switch, a 429).
type choices struct {
	Amenities []string
	Category  string
}

// choicesOf reads the choices from a POSTed form, else from the query.
func choicesOf(c *fiber.Ctx) choices {
	var ch choices
	args, cat := c.Context().QueryArgs().PeekMulti("a"), c.Query("c")
	if c.Method() == fiber.MethodPost {
		args, cat = c.Request().PostArgs().PeekMulti("a"), c.FormValue("c")
	}
	for _, v := range args {
		ch.Amenities = append(ch.Amenities, string(v))
	}
	if _, ok := models.CategoryByCode(cat); ok {
		ch.Category = cat
	}
	return ch
}

// query adds the choices to q, for a link that keeps them.
func (ch choices) query(q url.Values) url.Values {
	for _, a := range ch.Amenities {
		q.Add("a", a)
	}
	if ch.Category != "" {
		q.Set("c", ch.Category)
	}
	return q
}

// newStationView arranges the enabled amenities: top (codes, in order)
// first, the rest by group in kiosk order; ch marks what is chosen, skip
// names the "no category" choice.
func newStationView(p *models.Profile, top []string, lang, skip string, ch choices) *stationView {
	v := &stationView{}
	ticked := func(code string) bool { return slices.Contains(ch.Amenities, code) }
	for _, code := range top {
		if i := slices.IndexFunc(p.Amenities, func(a models.Amenity) bool { return a.Code == code }); i >= 0 {
			a := p.Amenities[i]
			v.Top = append(v.Top, ItemView{Code: a.Code, Name: a.Name(lang), Icon: a.Icon, Checked: ticked(a.Code)})
		}
	}
	rest := make([]models.Amenity, 0, len(p.Amenities))
	for _, a := range p.Amenities {
		if !slices.Contains(top, a.Code) {
			rest = append(rest, a)
			v.MoreOpen = v.MoreOpen || ticked(a.Code)
		}
	}
	v.More = AmenityGroups(rest, lang, ticked)
	v.Categories = append([]ItemView{{Name: skip, Checked: ch.Category == ""}},
		Categories(lang, ch.Category)...)
	return v
}

// AmenityGroups arranges amenities under their group headings, in group
// order; checked marks the chosen ones (nil: none).
func AmenityGroups(amenities []models.Amenity, lang string, checked func(string) bool) []GroupView {
	byGroup := map[string][]ItemView{}
	for _, a := range amenities {
		byGroup[a.Group] = append(byGroup[a.Group], ItemView{Code: a.Code, Name: a.Name(lang), Icon: a.Icon,
			Checked: checked != nil && checked(a.Code)})
	}
	var out []GroupView
	for _, g := range models.Groups {
		if items := byGroup[g.Code]; len(items) > 0 {
			out = append(out, GroupView{Name: textOf(lang, g.ZH, g.EN), Amenities: items})
		}
	}
	return out
}

// Categories lists the worker categories; chosen is checked.
func Categories(lang, chosen string) []ItemView {
	out := make([]ItemView, len(models.Categories))
	for i, c := range models.Categories {
		out[i] = ItemView{Code: c.Code, Name: textOf(lang, c.ZH, c.EN), Icon: c.Code, Checked: c.Code == chosen}
	}
	return out
}

// textOf picks the Chinese or the English of a name.
func textOf(lang, zh, en string) string {
	if lang == "en" {
		return en
	}
	return zh
}

// kioskURL is a worker page's address with the token, the language and
// extra (the worker's choices): links built with it lose none of them.
func kioskURL(path, tok, lang string, extra url.Values) string {
	q := url.Values{}
	for k, v := range extra {
		q[k] = v
	}
	if tok != "" {
		q.Set("t", tok)
	}
	q.Set("lang", lang)
	return path + "?" + q.Encode()
}
