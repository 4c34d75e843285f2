package staff

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/handlers/web"
	"harbor/models"
)

// Daily work of every role: assisted check-ins, the feedback inbox and
// education activities.

type feedbackView struct {
	models.Feedback
	When, Amenity, ResolvedBy string
	Resolved                  bool
}

func (st *Handler) feedbackViews(items []models.Feedback, names map[string]models.Amenity) []feedbackView {
	out := make([]feedbackView, len(items))
	for i, f := range items {
		out[i] = feedbackView{Feedback: f, When: st.localTime(f.At), Amenity: names[f.Amenity].ZH, Resolved: f.ResolvedAt != nil}
		if f.ResolvedBy != nil {
			out[i].ResolvedBy = *f.ResolvedBy
		}
	}
	return out
}

// FeedbackInbox lists open feedback (or all with ?all=1).
func (st *Handler) FeedbackInbox(c *fiber.Ctx) error {
	ctx := c.UserContext()
	openOnly := c.Query("all") == ""
	items, err := st.Svc.FeedbackList(ctx, openOnly, 200)
	if err != nil {
		return err
	}
	names, err := st.Svc.AmenityNames(ctx)
	if err != nil {
		return err
	}
	today, err := st.Svc.TodayReport(ctx)
	if err != nil {
		return err
	}
	v := struct {
		Counts   models.FeedbackCounts
		OpenOnly bool
		Items    []feedbackView
	}{*today.Feedback, openOnly, st.feedbackViews(items, names)}
	return st.render(c, fiber.StatusOK, "feedback.html", st.page(c, "意见建议 Feedback", v))
}

// ResolveFeedback marks an item resolved with the note typed.
func (st *Handler) ResolveFeedback(c *fiber.Ctx) error {
	sess, _ := web.SessionOf(c)
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.Errorf(models.ENOTFOUND, "没有这条意见 / no such feedback")
	}
	if err := st.Svc.ResolveFeedback(c.UserContext(), id, sess.User.Name, c.FormValue("note")); err != nil {
		return web.Retype(c, err, st.FeedbackInbox)
	}
	return web.RedirectDone(c, st.path("/staff/feedback"), "resolved")
}

type activityRow struct {
	models.Activity
	VenueName  string
	CanCorrect bool
}

// activityFields are what the activity form shows.
type activityFields struct{ Day, Theme, Venue, Participants, Reason string }

type staffActivitiesView struct {
	Today, Month string
	Venues       []models.Venue
	Items        []activityRow
	Participants int
	Form         activityFields
	Edit         *activityRow // the activity being corrected, on its own page
}

// Activities lists a month's education activities, with the log form.
func (st *Handler) Activities(c *fiber.Ctx) error {
	return st.activitiesPage(c, nil)
}

// ActivityEdit shows the correction form of one activity.
func (st *Handler) ActivityEdit(c *fiber.Ctx) error {
	a, err := st.Svc.Activity(c.UserContext(), paramID(c))
	if err != nil {
		return err
	}
	row := st.activityRow(c, a)
	return st.activitiesPage(c, &row)
}

func (st *Handler) activitiesPage(c *fiber.Ctx, edit *activityRow) error {
	now := st.Svc.Now().In(st.Svc.Location())
	month := c.Query("month", now.Format("2006-01"))
	if edit != nil {
		month = edit.Day[:7]
	}
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return models.Errorf(models.EINVALID, "月份 %q 应形如 2026-11 / month %q: want YYYY-MM, e.g. 2026-11",
			web.Truncate(month, 20), web.Truncate(month, 20))
	}
	last := first.AddDate(0, 1, -1)
	items, err := st.Svc.ActivitiesBetween(c.UserContext(), first.Format(models.DayLayout), last.Format(models.DayLayout))
	if err != nil {
		return err
	}
	v := staffActivitiesView{Today: now.Format(models.DayLayout), Month: month, Venues: models.Venues, Edit: edit,
		Form: activityFields{Day: now.Format(models.DayLayout), Venue: models.Venues[0].Code, Participants: "0"}}
	if edit != nil {
		v.Form = activityFields{Day: edit.Day, Theme: edit.Theme, Venue: edit.Venue, Participants: strconv.Itoa(edit.Participants)}
	}
	if t := web.TypedOf(c); t != nil && t.Form != nil {
		f := t.Form
		v.Form = activityFields{Day: f.Get("day"), Theme: f.Get("theme"), Venue: f.Get("venue"), Participants: f.Get("participants"),
			Reason: f.Get("reason")}
	}
	for _, a := range items {
		v.Items = append(v.Items, st.activityRow(c, a))
		v.Participants += a.Participants
	}
	title := "宣教 Activities"
	if edit != nil {
		title = "更正宣教活动 Correct an activity"
	}
	return st.render(c, fiber.StatusOK, "activities.html", st.page(c, title, v))
}

func (st *Handler) activityRow(c *fiber.Ctx, a models.Activity) activityRow {
	venue, _ := models.VenueByCode(a.Venue)
	return activityRow{Activity: a, VenueName: venue.ZH, CanCorrect: st.Svc.CanCorrectActivity(a, corrector(c)) == nil}
}

// activityForm reads the activity form.
func activityForm(c *fiber.Ctx) (models.Activity, error) {
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("participants")))
	if err != nil {
		return models.Activity{}, models.Errorf(models.EINVALID, "请填写参与人数 / enter the number of participants")
	}
	return models.Activity{Day: c.FormValue("day"), Theme: c.FormValue("theme"), Venue: c.FormValue("venue"), Participants: n}, nil
}

// AddActivity logs an activity and returns to its month.
func (st *Handler) AddActivity(c *fiber.Ctx) error {
	sess, _ := web.SessionOf(c)
	a, err := activityForm(c)
	if err == nil {
		a.Staff = sess.User.Name
		a, err = st.Svc.AddActivity(c.UserContext(), a)
	}
	if err != nil {
		return web.Retype(c, err, st.Activities)
	}
	return web.RedirectDone(c, st.path("/staff/activities?month=")+a.Day[:7], "activity")
}

// CorrectActivity saves the correction of an activity.
func (st *Handler) CorrectActivity(c *fiber.Ctx) error {
	a, err := activityForm(c)
	if err == nil {
		err = st.Svc.EditActivity(c.UserContext(), paramID(c), a, corrector(c))
	}
	if err != nil {
		return web.Retype(c, err, st.ActivityEdit)
	}
	return web.RedirectDone(c, st.path("/staff/activities?month=")+a.Day[:7], "corrected")
}

// VoidActivity removes an activity logged by mistake.
func (st *Handler) VoidActivity(c *fiber.Ctx) error {
	a, err := st.Svc.Activity(c.UserContext(), paramID(c))
	if err == nil {
		err = st.Svc.VoidActivity(c.UserContext(), a.ID, corrector(c))
	}
	if err != nil {
		return web.Retype(c, err, st.ActivityEdit)
	}
	return web.RedirectDone(c, st.path("/staff/activities?month=")+a.Day[:7], "voided")
}
