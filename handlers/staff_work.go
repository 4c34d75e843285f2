package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/models"
)

// Daily work of every role: assisted check-ins, the feedback inbox and
// education activities.

type assistedView struct {
	Groups     []groupView
	Categories []itemView
	MaxPeople  int
	Today      int
}

// AssistedForm shows the counter form for a visit without a phone.
func (st *Staff) AssistedForm(c *fiber.Ctx) error {
	today, err := st.Svc.TodayReport(c.UserContext())
	if err != nil {
		return err
	}
	// The station page's grouping and order, so the counter matches the kiosk.
	v := assistedView{Groups: amenityGroups(st.Svc.Profile().Amenities, "zh", nil), Categories: categories("zh", ""), MaxPeople: outlet.MaxAssistedPeople,
		Today: today.Channels.Assisted}
	return st.render(c, fiber.StatusOK, "assisted.html", st.page(c, "代登记 Assisted", v))
}

// RecordAssisted stores the visit under the logged-in account.
func (st *Staff) RecordAssisted(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	people, err := strconv.Atoi(c.FormValue("people"))
	if err != nil {
		return models.Errorf(models.EINVALID, "请填写人数 / enter the number of people")
	}
	req := outlet.AssistedRequest{Category: c.FormValue("c"), People: people, Staff: sess.User.Name}
	for _, v := range c.Request().PostArgs().PeekMulti("a") {
		req.Amenities = append(req.Amenities, string(v))
	}
	if _, err := st.Svc.RecordAssisted(c.UserContext(), req); err != nil {
		return err
	}
	st.Metrics.CheckIn(models.ChannelAssisted, people)
	return redirectDone(c, "/staff/assisted", "assisted")
}

type feedbackView struct {
	models.Feedback
	When, Amenity, ResolvedBy string
	Resolved                  bool
}

func (st *Staff) feedbackViews(items []models.Feedback, names map[string]models.Amenity) []feedbackView {
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
func (st *Staff) FeedbackInbox(c *fiber.Ctx) error {
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
func (st *Staff) ResolveFeedback(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return models.Errorf(models.ENOTFOUND, "没有这条意见 / no such feedback")
	}
	if err := st.Svc.ResolveFeedback(c.UserContext(), id, sess.User.Name, c.FormValue("note")); err != nil {
		return err
	}
	return redirectDone(c, "/staff/feedback", "resolved")
}

type activityRow struct {
	models.Activity
	VenueName string
}

// Activities lists a month's education activities, with the log form.
func (st *Staff) Activities(c *fiber.Ctx) error {
	now := st.Svc.Now().In(st.Svc.Location())
	month := c.Query("month", now.Format("2006-01"))
	first, err := time.Parse("2006-01", month)
	if err != nil {
		return models.Errorf(models.EINVALID, "月份格式应为 2026-11 / month: want 2026-11")
	}
	last := first.AddDate(0, 1, -1)
	items, err := st.Svc.ActivitiesBetween(c.UserContext(), first.Format(models.DayLayout), last.Format(models.DayLayout))
	if err != nil {
		return err
	}
	v := struct {
		Today, Month string
		Venues       []models.Venue
		Items        []activityRow
		Participants int
	}{Today: now.Format(models.DayLayout), Month: month, Venues: models.Venues}
	for _, a := range items {
		venue, _ := models.VenueByCode(a.Venue)
		v.Items = append(v.Items, activityRow{Activity: a, VenueName: venue.ZH})
		v.Participants += a.Participants
	}
	return st.render(c, fiber.StatusOK, "activities.html", st.page(c, "宣教 Activities", v))
}

// AddActivity logs an activity and returns to its month.
func (st *Staff) AddActivity(c *fiber.Ctx) error {
	sess, _ := sessionOf(c)
	n, err := strconv.Atoi(strings.TrimSpace(c.FormValue("participants")))
	if err != nil {
		return models.Errorf(models.EINVALID, "请填写参与人数 / enter the number of participants")
	}
	a, err := st.Svc.AddActivity(c.UserContext(), models.Activity{Day: c.FormValue("day"), Theme: c.FormValue("theme"),
		Venue: c.FormValue("venue"), Participants: n, Staff: sess.User.Name})
	if err != nil {
		return err
	}
	return redirectDone(c, "/staff/activities?month="+a.Day[:7], "activity")
}
