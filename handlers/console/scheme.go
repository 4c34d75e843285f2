package console

import (
	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/app/branch/scoring"
	"harbor/handlers/web"
	"harbor/models"
)

// The scoring scheme's editor: admins save new versions, everyone reads
// the versions and the change log.

type schemeView struct {
	Latest   scoring.Scheme
	Measures []schemeMeasure
	From     string // the form's default effective month: next month
	Fund     string // yuan
	Step     string
	Admin    bool
	History  []schemeVersionRow
	Rules    []ruleOption
	Quarters []ruleOption
}

type schemeMeasure struct {
	scoring.MeasureInfo
	Weight, Target, Groups string
}

type schemeVersionRow struct {
	branch.SchemeVersion
	Created string
}

type ruleOption struct{ Code, Name string }

// Scheme shows the newest scheme in an editor (admins) or read-only, and
// every saved version with who saved it, when, and what it changed.
func (con *Handler) Scheme(c *fiber.Ctx) error {
	ctx := c.UserContext()
	latest, err := con.Svc.LatestScheme(ctx)
	if err != nil {
		return err
	}
	versions, err := con.Svc.Schemes(ctx)
	if err != nil {
		return err
	}
	v := schemeView{Latest: latest, From: nextMonthOf(con.Svc.Today()), Fund: scoring.Centi(latest.Fund.PerOutletFen).Short(),
		Step: scoring.Centi(latest.Fund.TierStepFen).Short(),
		Rules: []ruleOption{{scoring.RuleProportional, "按得分比例 in proportion to the scores"},
			{scoring.RuleTiers, "分档（前三分之一奖、后三分之一扣）tiers: top third +, bottom third −"}},
		Quarters: []ruleOption{{scoring.QuarterMean, "各月得分平均 mean of the months"},
			{scoring.QuarterWeighted, "按应报天数加权平均 weighted by days due"}}}
	for _, info := range scoring.Measures {
		m := schemeMeasure{MeasureInfo: info, Weight: "0"}
		for _, x := range latest.Measures {
			if x.Code == info.Code {
				m.Weight, m.Target, m.Groups = itoa(x.Weight), x.Target.Short(), scoring.GroupText(x.Groups)
			}
		}
		v.Measures = append(v.Measures, m)
	}
	if sess, ok := web.SessionOf(c); ok && sess.User != nil {
		v.Admin = sess.User.Role == models.RoleAdmin
	}
	for _, x := range versions {
		v.History = append(v.History, schemeVersionRow{SchemeVersion: x, Created: con.localTime(&x.CreatedAt)})
	}
	return con.render(c, fiber.StatusOK, "scheme.html", con.page(c, "考核方案 Scoring scheme", v))
}

// SaveScheme saves the form as the scheme's next version (admins); a bad
// form comes back with the problem and what was typed, storing nothing.
func (con *Handler) SaveScheme(c *fiber.Ctx) error {
	form := scoring.SchemeForm{EffectiveFrom: c.FormValue("effective_from"), Name: c.FormValue("name"),
		FlagPoints: c.FormValue("flag_points"), FlagCap: c.FormValue("flag_cap"), FeedbackDays: c.FormValue("feedback_days"),
		QuarterRule: c.FormValue("quarter_rule"), Rule: c.FormValue("rule"), FundYuan: c.FormValue("fund"),
		StepYuan: c.FormValue("step"), Weights: map[string]string{}, Targets: map[string]string{}, GroupTargets: map[string]string{}}
	for _, info := range scoring.Measures {
		form.Weights[info.Code] = c.FormValue("weight." + info.Code)
		form.Targets[info.Code] = c.FormValue("target." + info.Code)
		form.GroupTargets[info.Code] = c.FormValue("groups." + info.Code)
	}
	scheme, err := form.Scheme()
	if err == nil {
		sess, _ := web.SessionOf(c)
		_, err = con.Svc.SaveScheme(c.UserContext(), scheme, sess.User.Name)
	}
	if err != nil {
		return web.Retype(c, err, con.Scheme)
	}
	return web.RedirectDone(c, "/console/scheme", "scheme")
}

// nextMonthOf is the month after day's: a new scheme's usual start.
func nextMonthOf(day string) string { return addDaysTo(day[:7]+"-28", 4)[:7] }
