package branch

import (
	"context"
	"database/sql"
	"sort"

	"gorm.io/gorm"

	"harbor/models"
)

// MaxCompare bounds how many outlets and groups are compared at once.
const MaxCompare = 12

// CompareColumn is one outlet, or one group of outlets, over the period.
type CompareColumn struct {
	Kind    string `json:"kind"` // outlet or group
	Key     string `json:"key"`  // the outlet code or the group name
	Label   string `json:"label"`
	Outlets int    `json:"outlets"`  // outlets in the column
	DaysDue int    `json:"days_due"` // outlet-days that owed a report
	// DueReported are the outlet-days that owed a report and sent one;
	// Totals.Days also counts reports not due (days before an outlet's
	// enrollment, today's snapshot).
	DueReported int    `json:"due_reported"`
	Totals      Totals `json:"totals"`
}

// OutletRef names a registered outlet.
type OutletRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Group string `json:"group"`
}

// Comparison is outlets and groups side by side; Groups and Outlets list
// what can be picked.
type Comparison struct {
	Period  Period          `json:"period"`
	Columns []CompareColumn `json:"columns"`
	Groups  []string        `json:"groups"`
	Outlets []OutletRef     `json:"outlets"`
}

// Compare adds up the figures of each outlet code and each group named,
// over p.
func (s *Service) Compare(ctx context.Context, p Period, outlets, groups []string) (Comparison, error) {
	if len(outlets)+len(groups) > MaxCompare {
		return Comparison{}, models.Errorf(models.EINVALID, "最多同时比较 %d 项 / compare at most %d outlets and groups", MaxCompare, MaxCompare)
	}
	cmp := Comparison{Period: p, Columns: []CompareColumn{}, Groups: []string{}, Outlets: []OutletRef{}}
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		reg, err := registry(tx)
		if err != nil {
			return err
		}
		sums, _, err := s.periodOutlets(tx, p.From, p.To)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, r := range reg {
			cmp.Outlets = append(cmp.Outlets, OutletRef{Code: r.Code, Name: r.Name, Group: r.Grp})
			if r.Grp != "" && !seen[r.Grp] {
				seen[r.Grp] = true
				cmp.Groups = append(cmp.Groups, r.Grp)
			}
		}
		sort.Strings(cmp.Groups)
		if err := s.compareColumns(&cmp, reg, sums, outlets, groups); err != nil {
			return err
		}
		return s.compareDue(tx, &cmp, reg, sums)
	})
	return cmp, err
}

// compareDue fills each column's days due and due days reported, counted
// through yesterday: a day not over is not due yet.
func (s *Service) compareDue(tx *gorm.DB, cmp *Comparison, reg []regRow, sums map[string]*Totals) error {
	from, last := cmp.Period.From, minDay(cmp.Period.To, s.Yesterday())
	notOver := map[string]int{} // reports of days after yesterday, by outlet
	if cmp.Period.To > last {
		err := eachRow(tx, func(rs *sql.Rows) error {
			var code string
			var n int
			err := rs.Scan(&code, &n)
			notOver[code] = n
			return err
		}, `SELECT outlet, COUNT(*) FROM reports WHERE day > ? AND day <= ? GROUP BY outlet`, last, cmp.Period.To)
		if err != nil {
			return err
		}
	}
	for i := range cmp.Columns {
		col := &cmp.Columns[i]
		for _, r := range reg {
			if (col.Kind == "outlet" && r.Code != col.Key) || (col.Kind == "group" && r.Grp != col.Key) {
				continue
			}
			col.DaysDue += s.daysDue(r, from, last)
			reported := 0
			if t := sums[r.Code]; t != nil {
				reported = t.Days - notOver[r.Code]
			}
			n, err := s.reportedDue(tx, r, from, last, reported)
			if err != nil {
				return err
			}
			col.DueReported += n
		}
	}
	return nil
}

// periodOutlets adds up each outlet's figures over from..to, feedback open
// at the end of its last reported day included.
func (s *Service) periodOutlets(tx *gorm.DB, from, to string) (map[string]*Totals, map[string]dayOpen, error) {
	sums, err := outletSums(tx, from, to, s.lastDataDay())
	if err != nil {
		return nil, nil, err
	}
	opens, err := lastOpen(tx, from, to, s.lastDataDay())
	if err != nil {
		return nil, nil, err
	}
	for code, o := range opens {
		if t := sums[code]; t != nil {
			t.Feedback.Open = o.Open
		}
	}
	return sums, opens, nil
}

// compareColumns builds a column per outlet and per group asked for.
func (s *Service) compareColumns(cmp *Comparison, reg []regRow, sums map[string]*Totals, outlets, groups []string) error {
	byCode := map[string]regRow{}
	for _, r := range reg {
		byCode[r.Code] = r
	}
	for _, code := range outlets {
		r, ok := byCode[code]
		if !ok {
			return models.Errorf(models.ENOTFOUND, "没有网点 %q / no outlet %q is registered", truncate(code, 40), truncate(code, 40))
		}
		col := CompareColumn{Kind: "outlet", Key: code, Label: r.Name, Outlets: 1}
		if t := sums[code]; t != nil {
			col.Totals = *t
		}
		cmp.Columns = append(cmp.Columns, col)
	}
	for _, g := range groups {
		col := CompareColumn{Kind: "group", Key: g, Label: g}
		for _, r := range reg {
			if r.Grp != g {
				continue
			}
			col.Outlets++
			if t := sums[r.Code]; t != nil {
				col.Totals.add(*t, 1)
			}
		}
		if col.Outlets == 0 {
			return models.Errorf(models.ENOTFOUND, "没有分组 %q / no outlet is in group %q", truncate(g, 40), truncate(g, 40))
		}
		cmp.Columns = append(cmp.Columns, col)
	}
	return nil
}
