package branch

import (
	"cmp"
	"context"
	"fmt"
	"harbor/app/tabular"
	"math"
	"strings"

	"harbor/models"
)

// Assessment exports: the same tables as an XLSX workbook (one sheet each)
// and as CSV (UTF-8 with a BOM, so that Excel shows Chinese). Each starts
// with the period, the days counted and the generation time.

// ExportTable is one table of an export.
type ExportTable = tabular.Table

// VisitorDaysNote explains the visitor-days columns.
const VisitorDaysNote = "访客人天 = 各网点每日独立访客之和，不是去重人数 / " +
	"visitor-days add each outlet's unique visitors of each day; they are not unique people"

// AssessmentFileName is the download name of an export, e.g.
// harbor_assessment_2026-11.xlsx.
func AssessmentFileName(a Assessment, ext string) string {
	return "harbor_assessment_" + a.Period.Label + "." + ext
}

// exportMeta are the rows that say what an export covers.
func (s *Service) exportMeta(a Assessment) [][]any {
	return [][]any{
		{"报告期 Period", a.Period.Label, a.Period.From, a.Period.To},
		{"统计至 Counted through", a.Through, "天数 days", a.DaysCounted},
		{"生成时间 Generated at", a.GeneratedAt.In(s.loc).Format("2006-01-02 15:04:05 -07:00")},
		{"说明 Note", VisitorDaysNote},
	}
}

// AssessmentTables lays an assessment out as the export's tables:
// summary, outlets, amenities, categories and flags.
func (s *Service) AssessmentTables(ctx context.Context, a Assessment) ([]ExportTable, error) {
	names, err := s.AmenityNames(ctx)
	if err != nil {
		return nil, err
	}
	return []ExportTable{s.summaryTable(a), outletsTable(a), amenitiesTable(a, names), categoriesTable(a), flagsTable(a)}, nil
}

func (s *Service) summaryTable(a Assessment) ExportTable {
	t := a.Totals
	closes := a.ClosesAt.In(s.loc).Format("2006-01-02 15:04")
	return ExportTable{Name: "汇总 Summary", Header: []string{"项目 Item", "数值 Value"}, Rows: [][]any{
		{"网点数 Outlets", len(a.Outlets)}, {"有核查提示的网点 Flagged outlets", a.Flagged},
		{"上报天数 Days reported", t.Days}, {"服务人次 Check-ins", t.CheckIns}, {"访客人天 Visitor-days", t.VisitorDays},
		{"现场码 Live", t.Channels.Live}, {"海报码 Poster", t.Channels.Poster}, {"代登记 Assisted", t.Channels.Assisted},
		{"代登记占比 Assisted share", share(a.AssistedRate)},
		{"收到意见 Feedback received", t.Feedback.Received}, {"已处理意见 Feedback resolved", t.Feedback.Resolved},
		{"期末未处理意见 Feedback open at the end", t.Feedback.Open},
		{"宣教活动 Activities", t.Activities}, {"参与人数 Participants", t.Participants},
		{"报告期截止 Period closes at", closes}, {"已截止 Closed", yesNo(a.Closed)},
	}}
}

func outletsTable(a Assessment) ExportTable {
	tb := ExportTable{Name: "网点 Outlets", Header: []string{"网点代码 Code", "网点名称 Name", "分组 Group",
		"服务人次 Check-ins", "访客人天 Visitor-days", "现场码 Live", "海报码 Poster", "代登记 Assisted",
		"代登记占比 Assisted share", "收到意见 Feedback received", "已处理 Resolved", "期末未处理 Open",
		"宣教活动 Activities", "参与人数 Participants", "上报天数 Days reported", "应报天数 Days due", "核查提示 Flags"}}
	for _, o := range a.Outlets {
		tb.Rows = append(tb.Rows, []any{o.Code, o.Name, o.Group, o.CheckIns, o.VisitorDays, o.Channels.Live,
			o.Channels.Poster, o.Channels.Assisted, share(o.AssistedShare()), o.Feedback.Received, o.Feedback.Resolved,
			o.Feedback.Open, o.Activities, o.Participants, o.Days, o.DaysDue, flagsText(o.Flags)})
	}
	t := a.Totals
	due := 0
	for _, o := range a.Outlets {
		due += o.DaysDue
	}
	tb.Total = []any{"合计 Total", fmt.Sprintf("%d 个网点 outlets", len(a.Outlets)), "", t.CheckIns, t.VisitorDays,
		t.Channels.Live, t.Channels.Poster, t.Channels.Assisted, share(a.AssistedRate), t.Feedback.Received,
		t.Feedback.Resolved, t.Feedback.Open, t.Activities, t.Participants, t.Days, due, fmt.Sprintf("%d", a.Flagged)}
	return tb
}

func amenitiesTable(a Assessment, names map[string]models.ProfileAmenity) ExportTable {
	tb := ExportTable{Name: "服务项目 Amenities", Header: []string{"代码 Code", "服务项目", "Amenity", "服务人次 Check-ins", "访客人天 Visitor-days"}}
	var checkIns, visitorDays int
	for _, c := range a.Amenities {
		n := names[c.Code]
		tb.Rows = append(tb.Rows, []any{c.Code, orCode(n.ZH, c.Code), orCode(n.EN, c.Code), c.CheckIns, c.VisitorDays})
		checkIns += c.CheckIns
		visitorDays += c.VisitorDays
	}
	tb.Total = []any{"合计 Total", "一次登记可含多项", "a visit may use several", checkIns, visitorDays}
	return tb
}

func categoriesTable(a Assessment) ExportTable {
	tb := ExportTable{Name: "人群 Categories", Header: []string{"代码 Code", "人群", "Category", "服务人次 Check-ins"}}
	sum := 0
	for _, c := range a.Categories {
		n := models.CategoryNamed(c.Code)
		tb.Rows = append(tb.Rows, []any{c.Code, n.ZH, n.EN, c.CheckIns})
		sum += c.CheckIns
	}
	tb.Total = []any{"合计 Total", "", "", sum}
	return tb
}

func flagsTable(a Assessment) ExportTable {
	tb := ExportTable{Name: "核查 Flags", Header: []string{"网点代码 Code", "网点名称 Name", "提示 Flag", "说明 Detail"}}
	for _, o := range a.Outlets {
		for _, f := range o.Flags {
			tb.Rows = append(tb.Rows, []any{o.Code, o.Name, f.Code, FlagText(f)})
		}
	}
	return tb
}

// FlagText says in Chinese and English what a flag saw and why it
// matters.
func FlagText(f Flag) string {
	p := func(x float64) float64 { return math.Round(100 * x) }
	switch f.Code {
	case FlagAssistedShare:
		return fmt.Sprintf("代登记占比 %.0f%%，远高于全网 %.0f%%，代登记不经工人扫码 / "+
			"assisted share %.0f %%, far above the network's %.0f %%: staff record these without a worker's scan",
			p(f.Share), p(f.NetworkShare), p(f.Share), p(f.NetworkShare))
	case FlagMissingDays:
		return fmt.Sprintf("缺报 %d 天 / %d days without a report", f.Days, f.Days)
	case FlagReportedLate:
		return fmt.Sprintf("报告期截止后才首次上报 %d 天（%s）/ %d days first reported after the period closed",
			f.Days, strings.Join(f.Examples, ", "), f.Days)
	case FlagChangedLate:
		return fmt.Sprintf("报告期截止后数字被修改 %d 天（%s）/ figures of %d days changed after the period closed",
			f.Days, strings.Join(f.Examples, ", "), f.Days)
	case FlagCoverage:
		return coverageText(f)
	case FlagTopAddress:
		return signalText(f, "的登记来自同一地址", "一部手机或脚本反复提交", "of check-ins from one address",
			"one phone or a script posting all day")
	case FlagCookieless:
		return signalText(f, "的登记未带扫码页的 Cookie", "脚本通常不带 Cookie", "of check-ins without the station page's cookie",
			"scripts usually send none")
	case FlagOffHours:
		return signalText(f, "的登记在开放时间以外", "站点关门时不该有人登记", "of check-ins outside the opening hours",
			"nobody should check in at a closed station")
	case FlagBursts:
		return signalText(f, fmt.Sprintf("的登记集中在一分钟超过 %d 次的时段", ReportBurstLimit), "人不会这样成批到达",
			fmt.Sprintf("of check-ins came in minutes with more than %d", ReportBurstLimit), "people do not arrive like that")
	}
	return f.Code
}

// ReportBurstLimit is the burst limit outlets count with (outlet.BurstLimit).
const ReportBurstLimit = 10

// signalText words a share flag: the outlet's share, the network's median
// and why it matters.
func signalText(f Flag, zh, zhWhy, en, enWhy string) string {
	p := func(x float64) float64 { return math.Round(100 * x) }
	return fmt.Sprintf("%.0f%% %s，全网中位数 %.0f%%：%s / %.0f %% %s; network median %.0f %%: %s",
		p(f.Share), zh, p(f.NetworkShare), zhWhy, p(f.Share), en, p(f.NetworkShare), enWhy)
}

// coverageText words a coverage flag of a period.
func coverageText(f Flag) string {
	t := math.Round(100 * f.NetworkShare)
	return fmt.Sprintf("停机 %d 天，部分停机 %d 天（开放时间覆盖低于 %.0f%%），如 %s；期内开放时间覆盖 %.0f%% / "+
		"down %d days, partly down %d (below %.0f %% of opening hours), e.g. %s; %.0f %% of opening hours served: "+
		"a stopped service counts no visitors", f.DaysDown, f.Days, t, strings.Join(f.Examples, ", "), math.Round(100*f.Share),
		f.DaysDown, f.Days, t, strings.Join(f.Examples, ", "), math.Round(100*f.Share))
}

// dayCoverageText words the coverage flag of one day.
func dayCoverageText(f Flag) string {
	t := math.Round(100 * f.NetworkShare)
	if f.DaysDown > 0 {
		return fmt.Sprintf("%s 全天停机：停机不是没有访客 / %s down all day: a stopped service counts no visitors", f.Day, f.Day)
	}
	return fmt.Sprintf("%s 仅服务了开放时间的 %.0f%%（低于 %.0f%%）/ %s served %.0f %% of its opening hours (below %.0f %%)",
		f.Day, math.Round(100*f.Share), t, f.Day, math.Round(100*f.Share), t)
}

func flagsText(flags []Flag) string {
	parts := make([]string, len(flags))
	for i, f := range flags {
		parts[i] = cmp.Or(f.Text, FlagText(f))
	}
	return strings.Join(parts, "; ")
}

// share rounds a 0..1 share to four places.
func share(x float64) float64 { return math.Round(x*10000) / 10000 }

func yesNo(b bool) string {
	if b {
		return "是 yes"
	}
	return "否 no"
}

func orCode(name, code string) string {
	if name == "" {
		return code
	}
	return name
}
