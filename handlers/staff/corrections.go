package staff

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"harbor/app/outlet"
	"harbor/models"
)

// MaxCorrectionsShown bounds the audit trail one page lists.
const MaxCorrectionsShown = 500

type correctionRow struct {
	outlet.Correction
	When, What, Action, Before, After string
}

// Corrections shows managers the audit trail of corrections: who changed
// which entry when, from what to what, and why.
func (st *Handler) Corrections(c *fiber.Ctx) error {
	trail, err := st.Svc.Corrections(c.UserContext(), MaxCorrectionsShown)
	if err != nil {
		return err
	}
	rows := make([]correctionRow, len(trail))
	for i, x := range trail {
		rows[i] = correctionRow{Correction: x, When: st.localTime(x.At), Before: st.describe(x.Kind, &x.Before),
			After: st.describe(x.Kind, x.After), Action: "作废 void", What: "代登记 assisted #" + strconv.FormatInt(x.TargetID, 10)}
		if x.Action == "edit" {
			rows[i].Action = "修改 edit"
		}
		if x.Kind == "activity" {
			rows[i].What = "宣教活动 activity #" + strconv.FormatInt(x.TargetID, 10)
		}
	}
	return st.render(c, fiber.StatusOK, "corrections.html", st.page(c, "更正记录 Corrections", rows))
}

// describe writes an entry's values in words; nil (after a void) is "—".
func (st *Handler) describe(kind string, v *outlet.CorrectionValues) string {
	if v == nil {
		return "—"
	}
	if kind == "activity" {
		venue, _ := models.VenueByCode(v.Venue)
		participants := 0
		if v.Participants != nil {
			participants = *v.Participants
		}
		return strings.Join([]string{v.Day, v.Theme, venue.ZH, strconv.Itoa(participants) + " 人"}, " · ")
	}
	category := "未选人群"
	if v.Category != "" {
		category = outlet.CategoryName(v.Category).ZH
	}
	return strings.Join([]string{st.amenityList(v.Amenities), category, strconv.Itoa(v.People) + " 人"}, " · ")
}
