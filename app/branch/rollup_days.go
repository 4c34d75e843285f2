package branch

import (
	"cmp"
	"slices"

	"gorm.io/gorm"
)

// Day rollups (migration 0004): day_totals, day_amenities and
// day_categories hold every outlet's current report of a day summed. They
// change in the transaction that stores reports: a new report adds its
// figures, a replaced one adds the new figures and takes away those of the
// report it replaces, so they stay exactly the sums of the current
// reports. (A figure that drops to zero keeps its row, at zero; readers
// skip zeros, as they do for sums.)

// dayFigures are the figures one report gives its day's rollups.
type dayFigures struct {
	checkins, visitors int
	amenities          map[string][2]int // code → check-ins, visitors
	categories         map[string]int
}

// read fills the amenity and category figures of the stored report of
// outlet and day.
func (f *dayFigures) read(tx *gorm.DB, outlet, day string) error {
	var amenities []struct {
		Code               string
		CheckIns, Visitors int
	}
	if err := tx.Raw(`SELECT amenity AS code, checkins AS check_ins, visitors FROM report_amenities
		WHERE outlet = ? AND day = ?`, outlet, day).Scan(&amenities).Error; err != nil {
		return err
	}
	var categories []struct {
		Code     string
		CheckIns int
	}
	if err := tx.Raw(`SELECT category AS code, checkins AS check_ins FROM report_categories
		WHERE outlet = ? AND day = ?`, outlet, day).Scan(&categories).Error; err != nil {
		return err
	}
	f.amenities, f.categories = map[string][2]int{}, map[string]int{}
	for _, a := range amenities {
		f.amenities[a.Code] = [2]int{a.CheckIns, a.Visitors}
	}
	for _, c := range categories {
		f.categories[c.Code] = c.CheckIns
	}
	return nil
}

// addToDays adds what write changes to the day rollups: each report's
// figures, less those of the report it replaces. Rows go in key order, so
// that concurrent writers (PostgreSQL) lock them in the same order and
// never deadlock.
func addToDays(tx *gorm.DB, write []*pending) error {
	type codeKey struct{ day, code string }
	totals := map[string]*[3]int{}
	amenities, categories := map[codeKey][2]int{}, map[codeKey]int{}
	var days []string
	var amenityKeys, categoryKeys []codeKey
	addAmenity := func(k codeKey, c, v int) {
		a, ok := amenities[k]
		if !ok {
			amenityKeys = append(amenityKeys, k)
		}
		amenities[k] = [2]int{a[0] + c, a[1] + v}
	}
	addCategory := func(k codeKey, c int) {
		if _, ok := categories[k]; !ok {
			categoryKeys = append(categoryKeys, k)
		}
		categories[k] += c
	}
	for _, p := range write {
		r := p.r
		t := totals[r.Day]
		if t == nil {
			t = &[3]int{}
			totals[r.Day] = t
			days = append(days, r.Day)
		}
		t[1] += r.Totals.CheckIns - p.old.checkins
		t[2] += r.Totals.Visitors - p.old.visitors
		if p.outcome == outcomeStored {
			t[0]++
		}
		for _, a := range r.Amenities {
			addAmenity(codeKey{r.Day, a.Code}, a.CheckIns, a.Visitors)
		}
		for code, a := range p.old.amenities {
			addAmenity(codeKey{r.Day, code}, -a[0], -a[1])
		}
		for _, c := range r.Categories {
			addCategory(codeKey{r.Day, c.Code}, c.CheckIns)
		}
		for code, c := range p.old.categories {
			addCategory(codeKey{r.Day, code}, -c)
		}
	}
	slices.Sort(days)
	byKey := func(a, b codeKey) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.code, b.code)) }
	slices.SortFunc(amenityKeys, byKey)
	slices.SortFunc(categoryKeys, byKey)
	totalRows := make([][]any, len(days))
	for i, d := range days {
		totalRows[i] = []any{d, totals[d][0], totals[d][1], totals[d][2]}
	}
	amenityRows := make([][]any, len(amenityKeys))
	for i, k := range amenityKeys {
		amenityRows[i] = []any{k.day, k.code, amenities[k][0], amenities[k][1]}
	}
	categoryRows := make([][]any, len(categoryKeys))
	for i, k := range categoryKeys {
		categoryRows[i] = []any{k.day, k.code, categories[k]}
	}
	return upsertSums(tx, []upsert{
		{`day_totals(day, reports, checkins, visitors)`, `(day) DO UPDATE SET reports = day_totals.reports + excluded.reports,
			checkins = day_totals.checkins + excluded.checkins, visitors = day_totals.visitors + excluded.visitors`, totalRows},
		{`day_amenities(day, amenity, checkins, visitors)`, `(day, amenity) DO UPDATE SET
			checkins = day_amenities.checkins + excluded.checkins, visitors = day_amenities.visitors + excluded.visitors`, amenityRows},
		{`day_categories(day, category, checkins)`, `(day, category) DO UPDATE SET
			checkins = day_categories.checkins + excluded.checkins`, categoryRows},
	})
}

// upsert is a multi-row INSERT into target whose rows that exist already
// are updated as conflict says.
type upsert struct {
	target, conflict string
	rows             [][]any
}

// upsertSums runs each upsert.
func upsertSums(tx *gorm.DB, ups []upsert) error {
	for _, st := range ups {
		if _, err := insertRows(tx, st.target, st.rows, "ON CONFLICT "+st.conflict); err != nil {
			return err
		}
	}
	return nil
}
