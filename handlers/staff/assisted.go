package staff

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/handlers/kiosk"
	"harbor/handlers/web"
	"harbor/models"
)

// Assisted visits: staff record a visit for someone without a phone, and
// correct one (edit or void) on the day it was recorded.

type assistedView struct {
	Groups     []kiosk.GroupView
	Categories []kiosk.ItemView
	Category   string // the category chosen in the form
	People     string
	Reason     string
	MaxPeople  int
	Today      int
	Visits     []assistedRow // today's, newest first
	Edit       *assistedRow  // the visit being corrected, on its own page
}

type assistedRow struct {
	outlet.AssistedVisit
	Time, What, CategoryName string
	CanCorrect               bool
}

// AssistedForm shows the counter form and today's assisted visits.
func (st *Handler) AssistedForm(c *fiber.Ctx) error {
	return st.assistedPage(c, nil)
}

// AssistedEdit shows the correction form of one of today's visits.
func (st *Handler) AssistedEdit(c *fiber.Ctx) error {
	v, err := st.Svc.AssistedVisit(c.UserContext(), paramID(c))
	if err != nil {
		return err
	}
	row := st.assistedRow(c, v)
	return st.assistedPage(c, &row)
}

// assistedPage renders the form, blank or (edit) for a correction, filled
// with what was typed when a post came back.
func (st *Handler) assistedPage(c *fiber.Ctx, edit *assistedRow) error {
	ctx := c.UserContext()
	today, err := st.Svc.TodayReport(ctx)
	if err != nil {
		return err
	}
	visits, err := st.Svc.AssistedOn(ctx, today.Day)
	if err != nil {
		return err
	}
	amenities, v := []string(nil), assistedView{MaxPeople: outlet.MaxAssistedPeople, Today: today.Channels.Assisted, People: "1", Edit: edit}
	if edit != nil {
		amenities, v.Category, v.People = edit.Amenities, edit.Category, strconv.Itoa(edit.People)
	}
	if t := web.TypedOf(c); t != nil && t.Form != nil {
		amenities, v.Category, v.People, v.Reason = t.Form["a"], t.Form.Get("c"), t.Form.Get("people"), t.Form.Get("reason")
	}
	// The station page's grouping and order, so the counter matches the kiosk.
	v.Groups = kiosk.AmenityGroups(st.Svc.Profile().Amenities, "zh", func(code string) bool { return slices.Contains(amenities, code) })
	v.Categories = kiosk.Categories("zh", v.Category)
	for _, visit := range visits {
		v.Visits = append(v.Visits, st.assistedRow(c, visit))
	}
	title := "代登记 Assisted"
	if edit != nil {
		title = "更正代登记 Correct an assisted visit"
	}
	return st.render(c, fiber.StatusOK, "assisted.html", st.page(c, title, v))
}

// assistedRow describes a visit in words, and whether this user may
// correct it.
func (st *Handler) assistedRow(c *fiber.Ctx, v outlet.AssistedVisit) assistedRow {
	r := assistedRow{AssistedVisit: v, Time: st.localTime(v.At), What: st.amenityList(v.Amenities),
		CategoryName: outlet.CategoryName(v.Category).ZH, CanCorrect: st.Svc.CanCorrectAssisted(v, corrector(c)) == nil}
	if v.Category == "" {
		r.CategoryName = "—"
	}
	return r
}

// amenityList names amenities in Chinese: "饮用水、热水".
func (st *Handler) amenityList(codes []string) string {
	names := make([]string, len(codes))
	for i, code := range codes {
		names[i] = code
		if a, ok := st.Svc.EnabledAmenity(code); ok {
			names[i] = a.ZH
		} else if a, ok := models.CatalogByCode(code); ok {
			names[i] = a.ZH
		}
	}
	return strings.Join(names, "、")
}

// assistedRequest reads the form's amenities, category and people.
func assistedRequest(c *fiber.Ctx) (outlet.AssistedRequest, error) {
	people, err := strconv.Atoi(strings.TrimSpace(c.FormValue("people")))
	if err != nil {
		return outlet.AssistedRequest{}, models.Errorf(models.EINVALID, "请填写人数 / enter the number of people")
	}
	req := outlet.AssistedRequest{Category: c.FormValue("c"), People: people}
	for _, v := range c.Request().PostArgs().PeekMulti("a") {
		req.Amenities = append(req.Amenities, string(v))
	}
	return req, nil
}

// RecordAssisted stores the visit under the logged-in account.
func (st *Handler) RecordAssisted(c *fiber.Ctx) error {
	sess, _ := web.SessionOf(c)
	req, err := assistedRequest(c)
	if err == nil {
		req.Staff = sess.User.Name
		_, err = st.Svc.RecordAssisted(c.UserContext(), req)
	}
	if err != nil {
		return web.Retype(c, err, st.AssistedForm)
	}
	st.Metrics.CheckIn(models.ChannelAssisted, req.People)
	return web.RedirectDone(c, st.path("/staff/assisted"), "assisted")
}

// CorrectAssisted saves the correction of a visit.
func (st *Handler) CorrectAssisted(c *fiber.Ctx) error {
	req, err := assistedRequest(c)
	if err == nil {
		err = st.Svc.EditAssisted(c.UserContext(), paramID(c), req, corrector(c))
	}
	if err != nil {
		return web.Retype(c, err, st.AssistedEdit)
	}
	return web.RedirectDone(c, st.path("/staff/assisted"), "corrected")
}

// VoidAssisted removes a visit recorded by mistake.
func (st *Handler) VoidAssisted(c *fiber.Ctx) error {
	if err := st.Svc.VoidAssisted(c.UserContext(), paramID(c), corrector(c)); err != nil {
		return web.Retype(c, err, st.AssistedEdit)
	}
	return web.RedirectDone(c, st.path("/staff/assisted"), "voided")
}

// corrector is the logged-in account correcting an entry, with the reason
// the form gives.
func corrector(c *fiber.Ctx) outlet.Corrector {
	sess, _ := web.SessionOf(c)
	by := outlet.Corrector{Reason: c.FormValue("reason")}
	if sess.User != nil {
		by.Staff, by.Manager = sess.User.Name, sess.User.Role == models.RoleManager
	}
	return by
}

// paramID reads the :id of the path; 0 (found nowhere) when malformed.
func paramID(c *fiber.Ctx) int64 {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	return id
}
