package branch

import (
	"fmt"
	"io"
	"strings"

	"harbor/app/branch/scoring"
	"harbor/app/tabular"
)

// The bulletin's workbook: the same content as its page, a sheet per part.

// BulletinFileName is the download name of a bulletin, e.g.
// harbor_bulletin_2026-11.xlsx, marked _draft until it is published.
func BulletinFileName(rec BulletinRecord, ext string) string {
	name := "harbor_bulletin_" + rec.Bulletin.Period.Label
	if rec.Published == nil {
		name += "_draft"
	}
	return name + "." + ext
}

// WriteBulletinXLSX writes rec's bulletin as a workbook: summary, ranking,
// points, best and weakest, flags, missing reports, the schemes, and the
// figures changed after publication.
func (s *Service) WriteBulletinXLSX(w io.Writer, rec BulletinRecord) error {
	return tabular.WriteXLSX(w, s.bulletinMeta(rec), BulletinTables(rec))
}

// bulletinMeta are the rows that say what the workbook covers.
func (s *Service) bulletinMeta(rec BulletinRecord) [][]any {
	b := rec.Bulletin
	state := "草稿 draft"
	if p := rec.Published; p != nil {
		state = fmt.Sprintf("已发布 published %s, %s", p.PublishedAt.In(s.loc).Format("2006-01-02 15:04"), p.PublishedBy)
	}
	return [][]any{
		{"通报 Bulletin", b.Period.Label, b.Period.From, b.Period.To, state},
		{"统计至 Counted through", b.Through, "时区 Time zone", b.TimeZone},
		{"生成时间 Generated at", b.GeneratedAt.In(s.loc).Format("2006-01-02 15:04:05 -07:00")},
	}
}

// BulletinTables lays a bulletin out as tables.
func BulletinTables(rec BulletinRecord) []tabular.Table {
	b := rec.Bulletin
	tables := []tabular.Table{summaryOf(b), rankingTable(b), pointsTable(b), bestTable(b), bulletinFlags(b),
		missingTable(b), schemesTable(b)}
	if len(rec.Changes) > 0 {
		t := tabular.Table{Name: "发布后变动 Changed", Header: []string{"网点代码 Code", "网点名称 Name", "数字 Figure",
			"发布时 Published", "现在 Now"}}
		for _, c := range rec.Changes {
			t.Rows = append(t.Rows, []any{c.Code, c.Name, c.Label, c.Published, c.Current})
		}
		tables = append(tables, t)
	}
	return tables
}

func summaryOf(b Bulletin) tabular.Table {
	versions := make([]string, len(b.Schemes))
	for i, sc := range b.Schemes {
		versions[i] = sc.Label()
	}
	t := tabular.Table{Name: "摘要 Summary", Header: []string{"项目 Item", "内容 Value"}, Rows: [][]any{
		{"期间 Period", b.Period.NameZH() + " " + b.Period.NameEN()},
		{"摘要", b.Summary.ZH}, {"Summary", b.Summary.EN},
		{"参评网点 Outlets scored", len(b.Outlets)}, {"服务人次 Check-ins", b.Totals.CheckIns},
		{"访客人天 Visitor-days", b.Totals.VisitorDays}, {"宣教活动 Activities", b.Totals.Activities},
		{"参与人数 Participants", b.Totals.Participants},
		{"激励资金总额（元）Fund (yuan)", tabular.Fixed2(b.Fund.TotalFen)},
		{"考核方案 Schemes", strings.Join(versions, "; ")},
		{"分配规则 Allocation", b.Fund.RuleText}, {"舍入规则 Rounding", b.Fund.Rounding},
	}}
	if len(b.Months) > 0 {
		for _, m := range b.Months {
			state := "草稿 draft"
			if m.Published {
				state = "已发布 published"
			}
			t.Rows = append(t.Rows, []any{"月份 Month " + m.Month, fmt.Sprintf("%s, v%d, 统计至 through %s", state, m.Scheme, m.Through)})
		}
	}
	return t
}

// measureColumns are the measures of the bulletin's schemes, in order.
func measureColumns(b Bulletin) []scoring.MeasureInfo {
	used := map[string]bool{}
	for _, sc := range b.Schemes {
		for _, m := range sc.Measures {
			used[m.Code] = true
		}
	}
	var out []scoring.MeasureInfo
	for _, info := range scoring.Measures {
		if used[info.Code] {
			out = append(out, info)
		}
	}
	return out
}

func rankingTable(b Bulletin) tabular.Table {
	t := tabular.Table{Name: "排名 Ranking", Header: []string{"网点代码 Code", "名次 Rank", "网点名称 Name", "分组 Group",
		"得分 Score"}}
	measures := measureColumns(b)
	if b.Period.Kind == KindQuarter {
		for _, m := range b.Months {
			t.Header = append(t.Header, m.Month+" 得分 score")
		}
	} else {
		for _, m := range measures {
			t.Header = append(t.Header, m.ZH+" "+m.EN)
		}
		t.Header = append(t.Header, "扣分 Deduction")
	}
	t.Header = append(t.Header, "金额（元）Amount", "奖惩（元）Incentive", "服务人次 Check-ins", "核查提示 Flags")
	var amounts, incentives int64
	for _, o := range b.Outlets {
		row := []any{o.Code, o.Rank, o.Name, o.Group, tabular.Fixed2(o.Score)}
		if b.Period.Kind == KindQuarter {
			for _, m := range b.Months {
				row = append(row, monthScoreCell(o, m.Month))
			}
		} else {
			for _, m := range measures {
				row = append(row, pointsCell(o.Result, m.Code))
			}
			row = append(row, tabular.Fixed2(o.Result.Deduction))
		}
		row = append(row, tabular.Fixed2(o.AmountFen), tabular.Fixed2(o.IncentiveFen), o.Figures.CheckIns, o.Figures.Flags)
		t.Rows = append(t.Rows, row)
		amounts += o.AmountFen
		incentives += o.IncentiveFen
	}
	total := make([]any, len(t.Header))
	total[0], total[2] = "合计 Total", fmt.Sprintf("%d 个网点 outlets", len(b.Outlets))
	total[len(total)-4], total[len(total)-3] = tabular.Fixed2(amounts), tabular.Fixed2(incentives)
	total[len(total)-2] = b.Totals.CheckIns
	t.Total = total
	return t
}

func monthScoreCell(o BulletinRow, month string) any {
	for _, m := range o.Months {
		if m.Month == month {
			return tabular.Fixed2(m.Score)
		}
	}
	return ""
}

func pointsCell(r *scoring.Result, code string) any {
	if r != nil {
		for _, p := range r.Points {
			if p.Measure == code {
				return tabular.Fixed2(p.Points)
			}
		}
	}
	return ""
}

// pointsTable lists every measure of every outlet: value, target, weight,
// points and why (a quarter: each month's score, rank and amount).
func pointsTable(b Bulletin) tabular.Table {
	if b.Period.Kind == KindQuarter {
		t := tabular.Table{Name: "各月 Months", Header: []string{"网点代码 Code", "网点名称 Name", "月份 Month", "得分 Score",
			"名次 Rank", "应报天数 Days due", "金额（元）Amount", "基数（元）Base"}}
		for _, o := range b.Outlets {
			for _, m := range o.Months {
				t.Rows = append(t.Rows, []any{o.Code, o.Name, m.Month, tabular.Fixed2(m.Score), m.Rank, m.DaysDue,
					tabular.Fixed2(m.AmountFen), tabular.Fixed2(m.BaseFen)})
			}
		}
		return t
	}
	t := tabular.Table{Name: "得分明细 Points", Header: []string{"网点代码 Code", "网点名称 Name", "指标 Measure",
		"实际 Value", "目标 Target", "单位 Unit", "权重 Weight", "得分 Points", "说明 Note"}}
	for _, o := range b.Outlets {
		for _, p := range o.Result.Points {
			info, _ := scoring.MeasureNamed(p.Measure)
			var actual any = ""
			if p.Actual != nil {
				actual = tabular.Fixed2(*p.Actual)
			}
			t.Rows = append(t.Rows, []any{o.Code, o.Name, info.Name(), actual, tabular.Fixed2(p.Target), info.UnitZH,
				p.Weight, tabular.Fixed2(p.Points), PointsNote(p)})
		}
		t.Rows = append(t.Rows, []any{o.Code, o.Name, "核查提示扣分 Flag deduction", o.Figures.Flags, "", "个 flags", "",
			tabular.Fixed2(-o.Result.Deduction), ""})
	}
	return t
}

// PointsNote words a measure's note and, for feedback in time, the rule
// it was judged by.
func PointsNote(p scoring.Points) string {
	var parts []string
	switch p.Note {
	case scoring.NoteNoneDue:
		parts = append(parts, "无到期事项，得满分 nothing due: full points")
	case scoring.NoteUnknown:
		parts = append(parts, "报告未提供，不得分 not in the reports: no points")
	}
	if r := FeedbackRuleText(p.Rule); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, "；")
}

// FeedbackRuleText says how feedback in time was judged (scoring.JudgeFeedback).
func FeedbackRuleText(rule string) string {
	switch rule {
	case scoring.FeedbackExact:
		return "按每条意见的实际处理天数计 exact: from the ages of the resolutions"
	case scoring.FeedbackFIFO:
		return "报告未带处理天数，按先进先出推算 first in, first out: the reports do not say the ages of the resolutions"
	}
	return ""
}

func bestTable(b Bulletin) tabular.Table {
	t := tabular.Table{Name: "前三后三 Best and weakest", Header: []string{"类别 Which", "名次 Rank", "网点代码 Code",
		"网点名称 Name", "得分 Score", "依据 Behind it"}}
	for _, which := range []struct {
		label string
		codes []string
	}{{"最佳 best", b.Best}, {"待改进 weakest", b.Weakest}} {
		for _, code := range which.codes {
			o, _ := b.Row(code)
			t.Rows = append(t.Rows, []any{which.label, o.Rank, o.Code, o.Name, tabular.Fixed2(o.Score), RowReasons(o)})
		}
	}
	return t
}

// RowReasons says in a line which measures gave an outlet its score.
func RowReasons(o BulletinRow) string {
	var parts []string
	if o.Result != nil {
		for _, p := range o.Result.Points {
			info, _ := scoring.MeasureNamed(p.Measure)
			part := fmt.Sprintf("%s %s/%d", info.ZH, p.Points, p.Weight)
			switch p.Rule {
			case scoring.FeedbackExact:
				part += "（按实际处理天数）"
			case scoring.FeedbackFIFO:
				part += "（按先进先出推算）"
			}
			parts = append(parts, part)
		}
		if o.Result.Deduction > 0 {
			parts = append(parts, fmt.Sprintf("核查提示扣 %s", o.Result.Deduction))
		}
	}
	for _, m := range o.Months {
		parts = append(parts, fmt.Sprintf("%s %s 分（第 %d 名）", m.Month, m.Score, m.Rank))
	}
	return strings.Join(parts, "；")
}

func bulletinFlags(b Bulletin) tabular.Table {
	t := tabular.Table{Name: "核查 Flags", Header: []string{"网点代码 Code", "网点名称 Name", "月份 Month", "提示 Flag",
		"说明 Detail", "日期 Day"}}
	for _, f := range b.Flags {
		t.Rows = append(t.Rows, []any{f.Code, f.Name, f.Month, FlagName(f.Flag), f.Text, f.Day})
	}
	return t
}

func missingTable(b Bulletin) tabular.Table {
	t := tabular.Table{Name: "缺报 Missing", Header: []string{"网点代码 Code", "网点名称 Name", "月份 Month", "状态 State",
		"缺报天数 Days missing"}}
	for _, m := range b.Missing {
		t.Rows = append(t.Rows, []any{m.Code, m.Name, m.Month, StateName(m.State), m.Days})
	}
	return t
}

func schemesTable(b Bulletin) tabular.Table {
	t := tabular.Table{Name: "方案 Scheme", Header: []string{"版本 Version", "项目 Item", "权重 Weight", "目标 Target",
		"分组目标 Group targets"}}
	for _, sc := range b.Schemes {
		v := sc.Label()
		for _, m := range sc.Weighted() {
			info, _ := scoring.MeasureNamed(m.Code)
			t.Rows = append(t.Rows, []any{v, info.Name() + "（" + info.UnitZH + "）", m.Weight, tabular.Fixed2(m.Target),
				scoring.GroupText(m.Groups)})
		}
		t.Rows = append(t.Rows,
			[]any{v, "每个核查提示扣分 points per flag", sc.FlagPoints, "", ""},
			[]any{v, "核查提示最多扣分 most points off", sc.FlagCap, "", ""},
			[]any{v, "意见处理时限（天）feedback due within (days)", sc.FeedbackDays, "", ""},
			[]any{v, "每网点每月基金（元）fund per outlet a month", "", tabular.Fixed2(sc.Fund.PerOutletFen), ""},
			[]any{v, "分配规则 allocation", sc.Fund.RuleText(), "", ""},
			[]any{v, "季度规则 quarter rule", scoring.QuarterRuleText(sc.QuarterRule), "", ""})
	}
	return t
}
