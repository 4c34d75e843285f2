package branch

import (
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"harbor/app/branch/scoring"
)

// summarize writes the bulletin's opening paragraph from its figures,
// comparing with the period before and the same period a year before
// where those have reports.
func (s *Service) summarize(tx *gorm.DB, b *Bulletin) error {
	prev, yearAgo := comparedPeriods(b.Period)
	var err error
	if b.Summary.Previous, err = s.periodFigures(tx, prev); err != nil {
		return err
	}
	if b.Summary.YearAgo, err = s.periodFigures(tx, yearAgo); err != nil {
		return err
	}
	b.Summary.ZH, b.Summary.EN = summaryText(b)
	return nil
}

// comparedPeriods are the period before p and p a year before.
func comparedPeriods(p Period) (prev, yearAgo Period) {
	year, _ := strconv.Atoi(p.Label[:4])
	if p.Kind == KindQuarter {
		q := int(p.Label[5] - '0')
		py, pq := year, q-1
		if pq == 0 {
			py, pq = year-1, 4
		}
		prev, _ = QuarterPeriod(fmt.Sprintf("%dQ%d", py, pq))
		yearAgo, _ = QuarterPeriod(fmt.Sprintf("%dQ%d", year-1, q))
		return prev, yearAgo
	}
	prev, _ = MonthPeriod(prevMonth(p.Label))
	yearAgo, _ = MonthPeriod(fmt.Sprintf("%d%s", year-1, p.Label[4:]))
	return prev, yearAgo
}

// periodFigures are p's totals over every outlet; nil when p has no report.
func (s *Service) periodFigures(tx *gorm.DB, p Period) (*PeriodFigures, error) {
	sums, err := outletSums(tx, p.From, p.To, s.lastDataDay())
	if err != nil || len(sums) == 0 {
		return nil, err
	}
	out := &PeriodFigures{Label: p.Label}
	for _, t := range sums {
		out.CheckIns += t.CheckIns
		out.VisitorDays += t.VisitorDays
	}
	return out, nil
}

// summaryText words the figures of b in Chinese and in English.
func summaryText(b *Bulletin) (zh, en string) {
	t := b.Totals
	var z, e strings.Builder
	fmt.Fprintf(&z, "%s（%s 至 %s），全行 %d 个网点参加评分，劳动者港湾共服务 %s 人次、访客 %s 人天",
		b.Period.NameZH(), b.Period.From, b.Through, len(b.Outlets), thousands(t.CheckIns), thousands(t.VisitorDays))
	fmt.Fprintf(&e, "In %s (%s to %s), %d outlets were scored; the Workers' Harbor stations served %s check-ins and %s visitor-days",
		b.Period.NameEN(), b.Period.From, b.Through, len(b.Outlets), thousands(t.CheckIns), thousands(t.VisitorDays))
	prevZH, prevEN := "上月", "last month"
	if b.Period.Kind == KindQuarter {
		prevZH, prevEN = "上季度", "last quarter"
	}
	for _, c := range []struct {
		f      *PeriodFigures
		zh, en string
	}{{b.Summary.Previous, prevZH, prevEN}, {b.Summary.YearAgo, "上年同期", "a year before"}} {
		if c.f == nil {
			continue
		}
		zc, ec := change(t.CheckIns, c.f.CheckIns)
		fmt.Fprintf(&z, "，较%s（%s 人次）%s", c.zh, thousands(c.f.CheckIns), zc)
		fmt.Fprintf(&e, ", %s on %s (%s)", ec, c.en, thousands(c.f.CheckIns))
	}
	fmt.Fprintf(&z, "；开展宣教活动 %d 场，覆盖 %s 人。", t.Activities, thousands(t.Participants))
	fmt.Fprintf(&e, "; %d education activities reached %s people.", t.Activities, thousands(t.Participants))
	if n := len(b.Outlets); n > 0 {
		var sum int64
		for _, o := range b.Outlets {
			sum += int64(o.Score)
		}
		avg := scoring.Centi((2*sum + int64(n)) / (2 * int64(n)))
		top, bottom := b.Outlets[0], b.Outlets[n-1]
		fmt.Fprintf(&z, "平均得分 %s 分，最高 %s 分（%s），最低 %s 分（%s）；激励资金合计 %s 元。",
			avg, top.Score, top.Name, bottom.Score, bottom.Name, scoring.Yuan(b.Fund.TotalFen))
		fmt.Fprintf(&e, " The mean score was %s, the highest %s (%s), the lowest %s (%s); the incentive fund was %s yuan.",
			avg, top.Score, top.Name, bottom.Score, bottom.Name, scoring.Yuan(b.Fund.TotalFen))
	}
	flagged := map[string]bool{}
	for _, f := range b.Flags {
		flagged[f.Code] = true
	}
	missing := map[string]bool{}
	for _, m := range b.Missing {
		missing[m.Code] = true
	}
	fmt.Fprintf(&z, "%d 个网点有核查提示，%d 个网点有缺报。", len(flagged), len(missing))
	fmt.Fprintf(&e, " Outlets with integrity flags: %d; with missing reports: %d.", len(flagged), len(missing))
	if b.Partial {
		z.WriteString("本期尚未结束，以上为草稿。")
		e.WriteString(" The period runs: this is a draft.")
	}
	return z.String(), e.String()
}

// change words cur against before: "增长 5.2%" and "up 5.2 %".
func change(cur, before int) (zh, en string) {
	if before == 0 {
		return "（上期为 0）", "against none"
	}
	d := int64(cur - before)
	sign := int64(1)
	if d < 0 {
		sign, d = -1, -d
	}
	tenths := (d*2000 + int64(before)) / (2 * int64(before)) // per mille, rounded half up
	pct := fmt.Sprintf("%d.%d", tenths/10, tenths%10)
	switch {
	case tenths == 0:
		return "持平", "level"
	case sign > 0:
		return "增长 " + pct + "%", "up " + pct + " %"
	}
	return "下降 " + pct + "%", "down " + pct + " %"
}

// NameZH names a month or quarter in Chinese: "2026年11月", "2026年第四季度".
func (p Period) NameZH() string {
	if p.Kind == KindQuarter {
		return p.Label[:4] + "年第" + []string{"一", "二", "三", "四"}[p.Label[5]-'1'] + "季度"
	}
	m, _ := strconv.Atoi(p.Label[5:])
	return fmt.Sprintf("%s年%d月", p.Label[:4], m)
}

// NameEN names a month or quarter in English: "November 2026", "2026 Q4".
func (p Period) NameEN() string {
	if p.Kind == KindQuarter {
		return p.Label[:4] + " " + p.Label[4:]
	}
	m, _ := strconv.Atoi(p.Label[5:])
	return fmt.Sprintf("%s %s", []string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}[m-1], p.Label[:4])
}

// thousands writes n with thousands separators.
func thousands(n int) string { return strings.TrimSuffix(scoring.Yuan(int64(n)*100), ".00") }
