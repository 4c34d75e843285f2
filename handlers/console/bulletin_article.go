package console

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"harbor/app/branch"
	"harbor/app/branch/scoring"
	kioskweb "harbor/kiosk-web"
)

// The bulletin's document: the A4 page a branch prints or saves as PDF,
// rendered from the Bulletin alone (nothing of the request or the clock),
// so that rendering a frozen bulletin again gives the same bytes. A
// published bulletin's page is stored as it was rendered then.

// articleRow is an outlet's row as the document shows it.
type articleRow struct {
	branch.BulletinRow
	Points    []string // a month's points per measure column, or a quarter's score per month
	Deduction string
	Amount    string
	Incentive string
	Positive  bool // the incentive is a bonus
	Reasons   string
}

type articleView struct {
	B             branch.Bulletin
	Issue         string
	Columns       []string // the points columns: measures (a month) or months (a quarter)
	Rows          []articleRow
	Best, Weakest []articleRow
	Flags         []articleFlag
	Missing       []articleMissing
	Fund, Base    string
	SchemeText    string // each scheme's measures, weights and targets in words
	FeedbackRule  string // how each outlet's feedback in time was judged, in words
	Generated     string
	ScoreChart    template.HTML
	DayChart      template.HTML
}

type articleFlag struct {
	branch.BulletinFlag
	Label string
}

type articleMissing struct {
	branch.MissingReports
	StateName string
}

// renderArticle renders b's document.
func (con *Handler) renderArticle(b branch.Bulletin) (string, error) {
	var buf bytes.Buffer
	if err := con.Pages.RenderBranch(&buf, "bulletin-article", newArticle(b)); err != nil {
		return "", err
	}
	return buf.String(), nil
}

func newArticle(b branch.Bulletin) articleView {
	v := articleView{B: b, Issue: issueOf(b.Period),
		Fund: scoring.Yuan(b.Fund.TotalFen), Base: scoring.Yuan(b.Fund.PerOutletFen)}
	for _, sc := range b.Schemes {
		v.SchemeText += schemeText(sc)
	}
	if b.Period.Kind == branch.KindQuarter {
		v.SchemeText += b.Fund.RuleText + "。"
	}
	if loc, err := time.LoadLocation(b.TimeZone); err == nil {
		v.Generated = b.GeneratedAt.In(loc).Format("2006-01-02 15:04")
	}
	if b.Period.Kind == branch.KindQuarter {
		for _, m := range b.Months {
			v.Columns = append(v.Columns, m.Month)
		}
	} else {
		for _, m := range b.Schemes[0].Weighted() {
			info, _ := scoring.MeasureNamed(m.Code)
			v.Columns = append(v.Columns, info.Short)
		}
	}
	byCode := map[string]articleRow{}
	var bars []kioskweb.Bar
	for _, o := range b.Outlets {
		r := articleRow{BulletinRow: o, Amount: scoring.Yuan(o.AmountFen), Incentive: scoring.Yuan(o.IncentiveFen), Positive: o.IncentiveFen > 0,
			Reasons: branch.RowReasons(o)}
		if o.Result != nil {
			r.Deduction = o.Result.Deduction.String()
			for _, p := range o.Result.Points {
				r.Points = append(r.Points, p.Points.String())
			}
		} else {
			for _, month := range v.Columns {
				r.Points = append(r.Points, monthScore(o, month))
			}
		}
		v.Rows = append(v.Rows, r)
		byCode[o.Code] = r
		bars = append(bars, kioskweb.Bar{Label: o.Name, Value: int(o.Score), Shown: o.Score.String()})
	}
	v.FeedbackRule = feedbackRuleText(b.Outlets)
	for _, code := range b.Best {
		v.Best = append(v.Best, byCode[code])
	}
	for _, code := range b.Weakest {
		v.Weakest = append(v.Weakest, byCode[code])
	}
	for _, f := range b.Flags {
		v.Flags = append(v.Flags, articleFlag{BulletinFlag: f, Label: branch.FlagName(f.Flag)})
	}
	for _, m := range b.Missing {
		v.Missing = append(v.Missing, articleMissing{MissingReports: m, StateName: branch.StateName(m.State)})
	}
	v.ScoreChart = kioskweb.HBars("bulletin-score-chart", "各网点得分 Scores by outlet", bars)
	days := make([]kioskweb.Bar, len(b.Days))
	for i, d := range b.Days {
		days[i] = kioskweb.Bar{Label: d.Day[8:], Value: d.CheckIns}
	}
	v.DayChart = kioskweb.Columns("bulletin-day-chart", "全行每日服务人次 Check-ins per day", days, max(1, (len(days)+15)/16))
	return v
}

// feedbackRuleText says which outlets' feedback in time was judged from
// the ages of the resolutions and which first in, first out ("" when the
// bulletin does not say: frozen before the branch knew the ages).
func feedbackRuleText(outlets []branch.BulletinRow) string {
	var exact int
	var fifo []string
	for _, o := range outlets {
		switch o.Figures.FeedbackRule {
		case scoring.FeedbackExact:
			exact++
		case scoring.FeedbackFIFO:
			fifo = append(fifo, o.Code+" "+o.Name)
		}
	}
	if exact == 0 && len(fifo) == 0 {
		return ""
	}
	text := fmt.Sprintf("意见按时处理率 Feedback in time：%d 个网点按每条意见的实际处理天数计（exact）", exact)
	if len(fifo) > 0 {
		text += fmt.Sprintf("；%d 个网点的报告未带处理天数，按先进先出推算（first in, first out）：%s", len(fifo), strings.Join(fifo, "、"))
	}
	return text + "。"
}

// schemeText says a scheme's measures, weights and targets in a sentence.
func schemeText(sc scoring.Scheme) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：", sc.Label())
	for _, m := range sc.Weighted() {
		info, _ := scoring.MeasureNamed(m.Code)
		fmt.Fprintf(&b, "%s 权重 %d、目标 %s%s", info.ZH, m.Weight, m.Target.Short(), info.UnitZH)
		if g := scoring.GroupText(m.Groups); g != "" {
			fmt.Fprintf(&b, "（分组目标 %s）", g)
		}
		b.WriteString("；")
	}
	fmt.Fprintf(&b, "每个核查提示扣 %d 分，最多扣 %d 分；意见 %d 天内处理为按时。", sc.FlagPoints, sc.FlagCap, sc.FeedbackDays)
	return b.String()
}

// monthScore is an outlet's score of a month of a quarter, "—" when it was
// not scored then.
func monthScore(o branch.BulletinRow, month string) string {
	for _, m := range o.Months {
		if m.Month == month {
			return m.Score.String()
		}
	}
	return "—"
}

// issueOf numbers the bulletin: 2026年第11期 for a month, 2026年第4季度 for
// a quarter.
func issueOf(p branch.Period) string {
	if p.Kind == branch.KindQuarter {
		return fmt.Sprintf("%s年第%s季度", p.Label[:4], p.Label[5:])
	}
	var m int
	fmt.Sscanf(p.Label[5:], "%d", &m)
	return fmt.Sprintf("%s年第%d期", p.Label[:4], m)
}
