package branch

import (
	"context"
	"fmt"
	"math"
	"strings"

	"harbor/app/tabular"
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
// harbor_assessment_2026-11.xlsx; a period still running is marked
// harbor_assessment_2026-11_partial.xlsx.
func AssessmentFileName(a Assessment, ext string) string {
	name := "harbor_assessment_" + a.Period.Label
	if a.Partial {
		name += "_partial"
	}
	return name + "." + ext
}

// exportMeta are the rows that say what an export covers.
func (s *Service) exportMeta(a Assessment) [][]any {
	title := []any{"报告期 Period", a.Period.Label, a.Period.From, a.Period.To}
	if a.Partial {
		title = append(title, fmt.Sprintf("进行中，仅统计至 %s / partial: the period runs, counted through %s", a.Through, a.Through))
	}
	return [][]any{
		title,
		{"统计至 Counted through", a.Through, "天数 days", a.DaysCounted},
		{"时区 Time zone", a.TimeZone, "各网点按本地日期上报 / each outlet reports its own local days"},
		{"生成时间 Generated at", a.GeneratedAt.In(s.loc).Format("2006-01-02 15:04:05 -07:00")},
		{"说明 Note", VisitorDaysNote},
		{"停机 Down", fmt.Sprintf("服务不足开放时间的 %.0f%% 为部分停机，全无为停机 / a day served below %.0f %% of its opening hours "+
			"is partly down, with none of them down", 100*a.CoverageThreshold, 100*a.CoverageThreshold)},
		{"信号 Signals", SignalRule()},
	}
}

// SignalRule says how the signals are judged against the network.
func SignalRule() string {
	return fmt.Sprintf("与全网比较：只评手机登记不少于 %d 次的网点（至少 %d 个），占比高于全网中位数 %.0f 个百分点且超过 %.0f 倍离散度时提示 / "+
		"judged against the network: outlets with at least %d phone check-ins (%d or more of them); a share %.0f points and "+
		"%.0f robust spreads above the network's median is flagged", SignalMinCheckIns, SignalMinOutlets, 100*SignalMargin,
		SignalSpreads, SignalMinCheckIns, SignalMinOutlets, 100*SignalMargin, SignalSpreads)
}

// AssessmentTables lays an assessment out as the export's tables:
// summary, outlets, amenities, categories and flags.
func (s *Service) AssessmentTables(ctx context.Context, a Assessment) ([]ExportTable, error) {
	names, err := s.AmenityNames(ctx)
	if err != nil {
		return nil, err
	}
	return []ExportTable{s.summaryTable(a), outletsTable(a), amenitiesTable(a, names), categoriesTable(a),
		s.flagsTable(a)}, nil
}

func (s *Service) summaryTable(a Assessment) ExportTable {
	t := a.Totals
	closes := a.ClosesAt.In(s.loc).Format("2006-01-02 15:04")
	var days DayCounts
	for _, o := range a.Outlets {
		days.add(o.DayStatuses)
	}
	return ExportTable{Name: "汇总 Summary", Header: []string{"项目 Item", "数值 Value"}, Rows: [][]any{
		{"网点数 Outlets", len(a.Outlets)}, {"有核查提示的网点 Flagged outlets", a.Flagged},
		{"上报天数 Days reported", t.Days}, {"服务人次 Check-ins", t.CheckIns}, {"访客人天 Visitor-days", t.VisitorDays},
		{"现场码 Live", t.Channels.Live}, {"海报码 Poster", t.Channels.Poster}, {"代登记 Assisted", t.Channels.Assisted},
		{"代登记占比 Assisted share", tabular.Percent(a.AssistedRate)},
		{"收到意见 Feedback received", t.Feedback.Received}, {"已处理意见 Feedback resolved", t.Feedback.Resolved},
		{"期末未处理意见 Feedback open at the end", t.Feedback.Open},
		{"宣教活动 Activities", t.Activities}, {"参与人数 Participants", t.Participants},
		{"正常服务的网点日 Outlet-days served", days.Served}, {"部分停机 Partly down", days.PartlyDown},
		{"停机 Down", days.Down}, {"覆盖未知 Coverage unknown", days.Unknown}, {"缺报 Not reported", days.NotReported},
		{"开放时间覆盖 Opening hours served", percentOf(t.Coverage.Share())},
		{"报告期截止 Period closes at", closes}, {"已截止 Closed", yesNo(a.Closed)},
	}}
}

func outletsTable(a Assessment) ExportTable {
	tb := ExportTable{Name: "网点 Outlets", Header: []string{"网点代码 Code", "名次 Rank", "网点名称 Name", "分组 Group",
		"状态 State", "服务人次 Check-ins", "访客人天 Visitor-days", "现场码 Live", "海报码 Poster", "代登记 Assisted",
		"代登记占比 Assisted share", "收到意见 Feedback received", "已处理 Resolved", "期末未处理 Open",
		"宣教活动 Activities", "参与人数 Participants", "上报天数 Days reported", "应报天数 Days due",
		"正常服务天数 Days served", "部分停机天数 Days partly down", "停机天数 Days down", "覆盖未知天数 Days coverage unknown",
		"缺报天数 Days not reported", "开放时间覆盖 Opening hours served", "最忙地址占比 Busiest address share",
		"无 Cookie 占比 Cookie-less share", "开放时间外占比 Off-hours share", "成批登记占比 Share in bursts", "核查提示 Flags"}}
	var days DayCounts
	due := 0
	for _, o := range a.Outlets {
		d := o.DayStatuses
		tb.Rows = append(tb.Rows, append([]any{o.Code, o.Rank, o.Name, o.Group, StateName(o.State), o.CheckIns, o.VisitorDays,
			o.Channels.Live, o.Channels.Poster, o.Channels.Assisted, tabular.Percent(o.AssistedShare()), o.Feedback.Received,
			o.Feedback.Resolved, o.Feedback.Open, o.Activities, o.Participants, o.Days, o.DaysDue,
			d.Served, d.PartlyDown, d.Down, d.Unknown, d.NotReported, percentOf(o.Coverage.Share())},
			append(signalShares(o.Signals), flagsText(o.Flags))...))
		days.add(d)
		due += o.DaysDue
	}
	t := a.Totals
	tb.Total = append([]any{"合计 Total", "", fmt.Sprintf("%d 个网点 outlets", len(a.Outlets)), "", "", t.CheckIns, t.VisitorDays,
		t.Channels.Live, t.Channels.Poster, t.Channels.Assisted, tabular.Percent(a.AssistedRate), t.Feedback.Received,
		t.Feedback.Resolved, t.Feedback.Open, t.Activities, t.Participants, t.Days, due,
		days.Served, days.PartlyDown, days.Down, days.Unknown, days.NotReported, percentOf(t.Coverage.Share())},
		append(signalShares(t.Signals), fmt.Sprintf("%d", a.Flagged))...)
	return tb
}

// signalShares are the shares of the signals of g, "" when g has no
// phone check-ins with signals.
func signalShares(g SignalTotals) []any {
	out := make([]any, len(shareSignals))
	for i, sig := range shareSignals {
		out[i] = ""
		if g.Phone > 0 {
			out[i] = tabular.Percent(float64(sig.part(g)) / float64(g.Phone))
		}
	}
	return out
}

// percentOf is x as a Percent cell, "" when unknown.
func percentOf(x *float64) any {
	if x == nil {
		return ""
	}
	return tabular.Percent(*x)
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

// flagsTable lists every flag in words, with the outlet-day it points at
// on the console.
func (s *Service) flagsTable(a Assessment) ExportTable {
	tb := ExportTable{Name: "核查 Flags", Header: []string{"网点代码 Code", "网点名称 Name", "提示 Flag", "说明 Detail",
		"日期 Day", "链接 Link"}}
	for _, o := range a.Outlets {
		for _, f := range o.Flags {
			link := s.cfg.BaseURL + "/console/outlets/" + o.Code
			if f.Day != "" {
				link += "/days/" + f.Day
			}
			tb.Rows = append(tb.Rows, []any{o.Code, o.Name, FlagName(f.Code), f.Text, f.Day, link})
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
		parts[i] = f.Text
	}
	return strings.Join(parts, "; ")
}

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
