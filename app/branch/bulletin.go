package branch

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"harbor/app/branch/scoring"
)

// BulletinSchema names the bulletin's JSON document.
const BulletinSchema = "harbor.bulletin/v1"

// Bulletin is a month's (按月通报) or quarter's (按季考核) bulletin: every
// scored outlet's figures, points, score, rank and incentive amount, the
// network's totals in words and figures, integrity flags and missing
// reports. The page, the workbook and the JSON all show one Bulletin;
// publishing freezes it.
type Bulletin struct {
	Schema      string    `json:"schema"`
	Period      Period    `json:"period"`
	Through     string    `json:"through"` // last day counted
	Partial     bool      `json:"partial"` // the period runs: a draft only
	TimeZone    string    `json:"timezone"`
	GeneratedAt time.Time `json:"generated_at"`
	// Schemes are the schemes it was scored with: a month's, or the
	// distinct ones of a quarter's months.
	Schemes []scoring.Scheme `json:"schemes"`
	// Months are a quarter's months: each one's own bulletin, frozen when
	// it was published.
	Months   []BulletinMonth  `json:"months,omitempty"`
	Summary  BulletinSummary  `json:"summary"`
	Totals   Totals           `json:"totals"`
	Outlets  []BulletinRow    `json:"outlets"`  // scored outlets, best first (rank, then code)
	Unscored []OutletRef      `json:"unscored"` // outlets that owed no report in the period
	Best     []string         `json:"best"`     // codes of the best three (ties included)
	Weakest  []string         `json:"weakest"`  // and of the weakest three, weakest first
	Flags    []BulletinFlag   `json:"flags"`
	Missing  []MissingReports `json:"missing"`
	Fund     BulletinFund     `json:"fund"`
	Days     []DayPoint       `json:"days"` // the network's check-ins per day
}

// BulletinRow is one scored outlet.
type BulletinRow struct {
	OutletRef
	Rank    int             `json:"rank"` // ties share a rank (1, 2, 2, 4)
	Score   scoring.Centi   `json:"score"`
	Figures scoring.Figures `json:"figures"`
	// Result is a month's points by measure and deductions.
	Result *scoring.Result `json:"result,omitempty"`
	// Months are a quarter's monthly scores, ranks and amounts.
	Months    []MonthScore `json:"months,omitempty"`
	AmountFen int64        `json:"amount_fen"`
	// IncentiveFen is the amount less the fund the outlet brought (its
	// base): above it a bonus, below it a deduction.
	IncentiveFen int64 `json:"incentive_fen"`
}

// MonthScore is an outlet's score of one month of a quarter.
type MonthScore struct {
	Month     string        `json:"month"`
	Score     scoring.Centi `json:"score"`
	Rank      int           `json:"rank"`
	DaysDue   int64         `json:"days_due"`
	AmountFen int64         `json:"amount_fen"`
	BaseFen   int64         `json:"base_fen"`
}

// BulletinMonth is one month of a quarter's bulletin.
type BulletinMonth struct {
	Month     string `json:"month"`
	Published bool   `json:"published"` // its frozen bulletin was used
	Scheme    int    `json:"scheme_version"`
	Through   string `json:"through"`
}

// BulletinSummary is the paragraph the bulletin opens with, written from
// the figures, and the figures it compares with.
type BulletinSummary struct {
	ZH       string         `json:"zh"`
	EN       string         `json:"en"`
	Previous *PeriodFigures `json:"previous,omitempty"` // last month or quarter, when it has reports
	YearAgo  *PeriodFigures `json:"year_ago,omitempty"` // the same period a year before, when it has reports
}

// PeriodFigures are another period's totals, to compare with.
type PeriodFigures struct {
	Label       string `json:"label"`
	CheckIns    int    `json:"checkins"`
	VisitorDays int    `json:"visitor_days"`
}

// BulletinFlag is one integrity flag of an outlet, in words.
type BulletinFlag struct {
	OutletRef
	Month string `json:"month,omitempty"` // a quarter's: the month's bulletin it is from
	Flag  string `json:"flag"`
	Text  string `json:"text"`
	Day   string `json:"day,omitempty"`
}

// MissingReports is an outlet with days due but not reported.
type MissingReports struct {
	OutletRef
	Month string `json:"month,omitempty"`
	State string `json:"state"`
	Days  int    `json:"days"`
}

// BulletinFund is the period's fund and how it was shared.
type BulletinFund struct {
	PerOutletFen int64  `json:"per_outlet_fen,omitempty"` // a month's
	Outlets      int    `json:"outlets"`
	TotalFen     int64  `json:"total_fen"` // the amounts add up to exactly this
	Rule         string `json:"rule"`
	RuleText     string `json:"rule_text"`
	Rounding     string `json:"rounding"`
}

// Bulletin builds a period's bulletin from the current figures; a
// quarter takes its published months as published.
func (s *Service) Bulletin(ctx context.Context, p Period) (Bulletin, error) {
	return s.buildBulletin(ctx, p, true)
}

// buildBulletin builds p's bulletin; frozen says whether a quarter takes
// its published months' frozen bulletins (else every month as it is now).
func (s *Service) buildBulletin(ctx context.Context, p Period, frozen bool) (Bulletin, error) {
	if p.Kind == KindQuarter {
		return s.quarterBulletin(ctx, p, frozen)
	}
	var b Bulletin
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		var err error
		b, err = s.monthBulletin(tx, p)
		return err
	})
	return b, err
}

// monthBulletin builds a month's bulletin: the assessment's figures and
// flags, scored with the month's scheme, ranked, and the fund shared.
func (s *Service) monthBulletin(tx *gorm.DB, p Period) (Bulletin, error) {
	scheme, err := schemeFor(tx, p.Label)
	if err != nil {
		return Bulletin{}, err
	}
	a, err := s.assess(tx, p)
	if err != nil {
		return Bulletin{}, err
	}
	figs, err := s.outletFigures(tx, &a, scheme.FeedbackDays)
	if err != nil {
		return Bulletin{}, err
	}
	b := newBulletin(a, []scoring.Scheme{scheme})
	for _, o := range a.Outlets {
		f, scored := figs[o.Code]
		if !scored {
			b.Unscored = append(b.Unscored, o.OutletRef)
			continue
		}
		r := scheme.Score(o.Group, f)
		b.Outlets = append(b.Outlets, BulletinRow{OutletRef: o.OutletRef, Score: r.Score, Figures: f, Result: &r})
	}
	b.rank()
	scores, ranks := b.scoresAndRanks()
	for i, amount := range scheme.Fund.Allocate(scores, ranks) {
		b.Outlets[i].AmountFen = amount
		b.Outlets[i].IncentiveFen = amount - scheme.Fund.PerOutletFen
	}
	b.Fund = BulletinFund{PerOutletFen: scheme.Fund.PerOutletFen, Outlets: len(b.Outlets),
		TotalFen: scheme.Fund.Total(len(b.Outlets)), Rule: scheme.Fund.Rule, RuleText: scheme.Fund.RuleText(),
		Rounding: scoring.RoundingRule}
	if b.Days, err = dailyPoints(tx, p.From, a.Through, ""); err != nil {
		return b, err
	}
	return b, s.summarize(tx, &b)
}

// newBulletin starts a bulletin from an assessment: its period, totals,
// flags and missing reports.
func newBulletin(a Assessment, schemes []scoring.Scheme) Bulletin {
	b := Bulletin{Schema: BulletinSchema, Period: a.Period, Through: a.Through, Partial: a.Partial, TimeZone: a.TimeZone,
		GeneratedAt: a.GeneratedAt, Schemes: schemes, Totals: a.Totals, Outlets: []BulletinRow{}, Unscored: []OutletRef{},
		Flags: []BulletinFlag{}, Missing: []MissingReports{}}
	for _, o := range a.Outlets {
		for _, f := range o.Flags {
			b.Flags = append(b.Flags, BulletinFlag{OutletRef: o.OutletRef, Flag: f.Code, Text: f.Text, Day: f.Day})
		}
		if missing := o.DaysDue - o.Days; missing > 0 {
			b.Missing = append(b.Missing, MissingReports{OutletRef: o.OutletRef, State: o.State, Days: missing})
		}
	}
	return b
}

// rank sorts the rows best first (by code among equal scores), gives
// ranks with ties, and picks the best and weakest three.
func (b *Bulletin) rank() {
	sort.SliceStable(b.Outlets, func(i, j int) bool {
		if b.Outlets[i].Score != b.Outlets[j].Score {
			return b.Outlets[i].Score > b.Outlets[j].Score
		}
		return b.Outlets[i].Code < b.Outlets[j].Code
	})
	scores, _ := b.scoresAndRanks()
	for i, r := range scoring.Ranks(scores) {
		b.Outlets[i].Rank = r
	}
	n := len(b.Outlets)
	b.Best, b.Weakest = []string{}, []string{}
	for _, o := range b.Outlets {
		if o.Rank <= 3 {
			b.Best = append(b.Best, o.Code)
		}
	}
	if n <= len(b.Best) {
		return
	}
	bar := b.Outlets[max(n-3, len(b.Best))].Rank // the weakest three, and whoever ties with them
	for i := n - 1; i >= len(b.Best) && b.Outlets[i].Rank >= bar; i-- {
		b.Weakest = append(b.Weakest, b.Outlets[i].Code)
	}
}

func (b *Bulletin) scoresAndRanks() ([]scoring.Centi, []int) {
	scores := make([]scoring.Centi, len(b.Outlets))
	ranks := make([]int, len(b.Outlets))
	for i, o := range b.Outlets {
		scores[i], ranks[i] = o.Score, o.Rank
	}
	return scores, ranks
}

// Row returns the row of outlet code.
func (b *Bulletin) Row(code string) (BulletinRow, bool) {
	for _, o := range b.Outlets {
		if o.Code == code {
			return o, true
		}
	}
	return BulletinRow{}, false
}
