package branch

import (
	"context"

	"gorm.io/gorm"

	"harbor/app/branch/scoring"
	"harbor/models"
)

// quarterBulletin builds a quarter's bulletin from its months' bulletins:
// a month published is taken as published (when frozen is set), the others
// as they are now. Each outlet's quarter score comes from its monthly
// scores by the quarter rule of the last month's scheme; its amount is its
// months' amounts added up. Months that have not begun are left out.
func (s *Service) quarterBulletin(ctx context.Context, p Period, frozen bool) (Bulletin, error) {
	var months []Bulletin
	var refs []BulletinMonth
	for m := p.From[:7]; m <= p.To[:7]; m = nextMonth(m) {
		mp, _ := MonthPeriod(m)
		if mp.From > s.Yesterday() {
			break
		}
		mb, published, err := s.monthOfQuarter(ctx, mp, frozen)
		if err != nil {
			return Bulletin{}, err
		}
		months = append(months, mb)
		refs = append(refs, BulletinMonth{Month: m, Published: published, Scheme: mb.Schemes[0].Version, Through: mb.Through})
	}
	if len(months) == 0 {
		return Bulletin{}, models.Errorf(models.EINVALID, "报告期 %s 尚无完整的一天 / period %s has no whole day yet", p.Label, p.Label)
	}
	b := combineMonths(p, months)
	b.Months, b.GeneratedAt = refs, s.now().UTC()
	return b, s.db.ReadTx(ctx, func(tx *gorm.DB) error { return s.summarize(tx, &b) })
}

// monthOfQuarter is a month's bulletin: its frozen one when published
// (and frozen is set), else built now.
func (s *Service) monthOfQuarter(ctx context.Context, mp Period, frozen bool) (Bulletin, bool, error) {
	if frozen {
		if pub, err := s.published(ctx, mp.Label); err != nil || pub != nil {
			if err != nil {
				return Bulletin{}, false, err
			}
			b, err := pub.bulletin()
			return b, true, err
		}
	}
	b, err := s.buildBulletin(ctx, mp, false)
	return b, false, err
}

// combineMonths adds up a quarter's months.
func combineMonths(p Period, months []Bulletin) Bulletin {
	last := months[len(months)-1]
	rule := last.Schemes[0].QuarterRule
	b := Bulletin{Schema: BulletinSchema, Period: p, Through: last.Through, TimeZone: last.TimeZone,
		Partial: last.Partial || last.Period.To < p.To, Outlets: []BulletinRow{}, Unscored: []OutletRef{},
		Flags: []BulletinFlag{}, Missing: []MissingReports{}}
	rows := map[string]*BulletinRow{}
	var order []string
	versions := map[int]bool{}
	for _, m := range months {
		if v := m.Schemes[0]; !versions[v.Version] {
			versions[v.Version] = true
			b.Schemes = append(b.Schemes, v)
		}
		b.Totals.add(m.Totals, 1)
		b.Days = append(b.Days, m.Days...)
		b.Fund.TotalFen += m.Fund.TotalFen
		for _, f := range m.Flags {
			f.Month = m.Period.Label
			b.Flags = append(b.Flags, f)
		}
		for _, x := range m.Missing {
			x.Month = m.Period.Label
			b.Missing = append(b.Missing, x)
		}
		for _, o := range m.Outlets {
			r := rows[o.Code]
			if r == nil {
				r = &BulletinRow{}
				rows[o.Code] = r
				order = append(order, o.Code)
			}
			r.OutletRef = o.OutletRef
			r.Figures.Add(o.Figures)
			r.Months = append(r.Months, MonthScore{Month: m.Period.Label, Score: o.Score, Rank: o.Rank,
				DaysDue: o.Figures.DaysDue, AmountFen: o.AmountFen, BaseFen: m.Fund.PerOutletFen})
			r.AmountFen += o.AmountFen
			r.IncentiveFen += o.IncentiveFen
		}
	}
	b.Totals.Feedback.Open = last.Totals.Feedback.Open // open at the end, not added
	for _, code := range order {
		r := rows[code]
		scores, due := make([]scoring.Centi, len(r.Months)), make([]int64, len(r.Months))
		for i, m := range r.Months {
			scores[i], due[i] = m.Score, m.DaysDue
		}
		r.Score = scoring.QuarterScore(rule, scores, due)
		b.Outlets = append(b.Outlets, *r)
	}
	for _, m := range months {
		for _, o := range m.Unscored {
			if rows[o.Code] == nil && !containsRef(b.Unscored, o.Code) {
				b.Unscored = append(b.Unscored, o)
			}
		}
	}
	b.rank()
	b.Fund.Outlets, b.Fund.Rule = len(b.Outlets), rule
	b.Fund.RuleText, b.Fund.Rounding = scoring.QuarterRuleText(rule), scoring.RoundingRule
	return b
}

func containsRef(refs []OutletRef, code string) bool {
	for _, r := range refs {
		if r.Code == code {
			return true
		}
	}
	return false
}
