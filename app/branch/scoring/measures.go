package scoring

// Figures are what an outlet's month (or quarter) is scored on, every one
// counted by the branch from the outlet's daily reports. They are frozen
// with a published bulletin, and compared with the current ones to list
// what changed after publication.
type Figures struct {
	CheckIns    int64 `json:"checkins"`
	VisitorDays int64 `json:"visitor_days"` // daily unique visitors added up
	// HoursCheckIns are the check-ins of the days whose reports say how
	// many minutes of their opening hours were served (coverage);
	// OpenMinutes are those days' minutes of opening hours and UpMinutes
	// the minutes of them served.
	HoursCheckIns int64 `json:"hours_checkins"`
	OpenMinutes   int64 `json:"open_minutes"`
	UpMinutes     int64 `json:"up_minutes"`
	DaysDue       int64 `json:"days_due"`
	DaysReported  int64 `json:"days_reported"`
	// DaysOnTime are the days due whose first report arrived before the
	// end of the next day (in the branch's time zone).
	DaysOnTime   int64 `json:"days_on_time"`
	Activities   int64 `json:"activities"`
	Participants int64 `json:"participants"`
	// FeedbackDue is the feedback whose time to be resolved (the scheme's
	// FeedbackDays) is over or that was resolved; FeedbackOnTime of it,
	// resolved in time (see FeedbackOnTime).
	FeedbackDue    int64 `json:"feedback_due"`
	FeedbackOnTime int64 `json:"feedback_on_time"`
	// FeedbackRule is how the feedback was judged: FeedbackExact or
	// FeedbackFIFO (see JudgeFeedback); "" in bulletins frozen before the
	// branch knew the ages, all judged first in, first out.
	FeedbackRule string `json:"feedback_rule,omitempty"`
	Flags        int64  `json:"flags"` // integrity flags of the period
}

// Add adds o to f: a quarter's figures are its months' added up.
func (f *Figures) Add(o Figures) {
	f.CheckIns += o.CheckIns
	f.VisitorDays += o.VisitorDays
	f.HoursCheckIns += o.HoursCheckIns
	f.OpenMinutes += o.OpenMinutes
	f.UpMinutes += o.UpMinutes
	f.DaysDue += o.DaysDue
	f.DaysReported += o.DaysReported
	f.DaysOnTime += o.DaysOnTime
	f.Activities += o.Activities
	f.Participants += o.Participants
	f.FeedbackDue += o.FeedbackDue
	f.FeedbackOnTime += o.FeedbackOnTime
	if f.FeedbackRule == "" || o.FeedbackRule == FeedbackFIFO {
		f.FeedbackRule = o.FeedbackRule // FIFO in any month is FIFO for the quarter
	}
	f.Flags += o.Flags
}

// Measure codes.
const (
	CheckInsPerHour = "checkins_per_hour"
	VisitorsPerDay  = "visitors_per_day"
	Coverage        = "coverage"
	Activities      = "activities"
	Participants    = "participants"
	FeedbackInTime  = "feedback_on_time"
	Reporting       = "reporting"
)

// MeasureInfo describes a measure: its names, its unit, and how its value
// is read from the figures, as the fraction num/den in the unit.
type MeasureInfo struct {
	Code           string
	ZH, EN         string
	Short          string // a column heading of a few characters
	UnitZH, UnitEN string
	// Percent measures are shares: value and target in percent, the
	// target at most 100.
	Percent bool
	// NoneDueFull: when nothing was due (den is 0) the measure gives full
	// points (no feedback to resolve); otherwise none (nothing measured).
	NoneDueFull bool
	value       func(Figures) (num, den int64)
}

// Measures lists every measure a scheme may weigh, in the order shown.
var Measures = []MeasureInfo{
	{Code: CheckInsPerHour, Short: "人次/时", ZH: "每开放小时服务人次", EN: "Check-ins per opening hour", UnitZH: "人次/小时", UnitEN: "per hour",
		value: func(f Figures) (int64, int64) { return 60 * f.HoursCheckIns, f.OpenMinutes }},
	{Code: VisitorsPerDay, Short: "日均访客", ZH: "日均独立访客", EN: "Unique visitors per day due", UnitZH: "人/天", UnitEN: "per day",
		value: func(f Figures) (int64, int64) { return f.VisitorDays, f.DaysDue }},
	{Code: Coverage, Short: "覆盖率", ZH: "开放时间覆盖率", EN: "Opening hours served", UnitZH: "%", UnitEN: "%", Percent: true,
		value: func(f Figures) (int64, int64) { return 100 * f.UpMinutes, f.OpenMinutes }},
	{Code: Activities, Short: "活动", ZH: "宣教活动场次", EN: "Education activities", UnitZH: "场", UnitEN: "held",
		value: func(f Figures) (int64, int64) { return f.Activities, 1 }},
	{Code: Participants, Short: "参与", ZH: "宣教参与人数", EN: "Activity participants", UnitZH: "人", UnitEN: "people",
		value: func(f Figures) (int64, int64) { return f.Participants, 1 }},
	{Code: FeedbackInTime, Short: "意见", ZH: "意见按时处理率", EN: "Feedback resolved in time", UnitZH: "%", UnitEN: "%", Percent: true,
		NoneDueFull: true, value: func(f Figures) (int64, int64) { return 100 * f.FeedbackOnTime, f.FeedbackDue }},
	{Code: Reporting, Short: "按时报", ZH: "按时上报率", EN: "Days reported on time", UnitZH: "%", UnitEN: "%", Percent: true,
		value: func(f Figures) (int64, int64) { return 100 * f.DaysOnTime, f.DaysDue }},
}

// MeasureNamed returns the measure with code.
func MeasureNamed(code string) (MeasureInfo, bool) {
	for _, m := range Measures {
		if m.Code == code {
			return m, true
		}
	}
	return MeasureInfo{}, false
}

// Name is the measure's name in both languages.
func (m MeasureInfo) Name() string { return m.ZH + " " + m.EN }
