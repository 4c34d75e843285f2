package branchseed

import (
	"fmt"
	"strings"
	"time"

	"harbor/models"
)

// Network is a seeded branch network: Outlets outlets (codes N00001, ...)
// that all report every day From..To, the final revision arriving just
// after the day. The figures vary by outlet and day. Per-amenity and
// per-category rows (8 amenities, 4 categories) and receipts exist for the
// days from ChildFrom on: the overview reads the day and the month to date,
// the outlet page its last 30 days, while whole months are read from the
// rollups, which cover every day. Every outlet also has a directory profile.
type Network struct {
	Outlets   int
	From, To  string // YYYY-MM-DD
	ChildFrom string // YYYY-MM-DD; "" means From
}

// SeededAmenities and SeededCategories are the codes of a Network's
// per-amenity and per-category rows.
var (
	SeededAmenities  = []string{"water", "hot_water", "tea", "rest", "phone_charging", "ebike_charging", "microwave", "toilet"}
	SeededCategories = []string{"sanitation", "courier", "delivery", "unspecified"}
)

// Reports is the number of reports the network holds.
func (n Network) Reports() int {
	from, _ := time.Parse(models.DayLayout, n.From)
	to, _ := time.Parse(models.DayLayout, n.To)
	return n.Outlets * (int(to.Sub(from).Hours()/24) + 1)
}

// dialect holds the SQL that differs between the backends: a FROM clause
// listing every outlet number i and day d, and expressions over them.
type dialect struct {
	with, from          string // WITH clause (or ""), FROM clause of outlets × days
	withOutlets         string // WITH clause of outlet numbers (or "")
	fromOutlets         string
	code, day, doy, eps string // outlet code, day text, day of year, epoch millis of the day
}

func dialectOf(name string, n Network) (dialect, error) {
	switch name {
	case "postgres":
		return dialect{
			from:        fmt.Sprintf(`generate_series(1, %d) i, generate_series(date '%s', date '%s', interval '1 day') d`, n.Outlets, n.From, n.To),
			fromOutlets: fmt.Sprintf(`generate_series(1, %d) i`, n.Outlets),
			code:        `'N' || lpad(i::text, 5, '0')`, day: `to_char(d, 'YYYY-MM-DD')`,
			doy: `extract(doy FROM d)::int`, eps: `(extract(epoch FROM d) * 1000)::bigint`,
		}, nil
	case "sqlite":
		outlets := fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d)`, n.Outlets)
		return dialect{
			with: outlets + fmt.Sprintf(`, t(d) AS (SELECT '%s' UNION ALL SELECT date(d, '+1 day') FROM t WHERE d < '%s')`, n.From, n.To),
			from: `s, t`, withOutlets: outlets, fromOutlets: `s`,
			code: `'N' || printf('%05d', i)`, day: `d`,
			doy: `CAST(strftime('%j', d) AS INTEGER)`, eps: `CAST(strftime('%s', d) AS INTEGER) * 1000`,
		}, nil
	}
	return dialect{}, fmt.Errorf("branchseed: no SQL for database %q", name)
}

// Statements returns the SQL that seeds the network into an empty branch
// database of the named dialect ("postgres" or "sqlite"), in order: the
// outlets, their reports, the per-amenity and per-category rows, receipts,
// profiles and the month and day rollups, summed from those rows as the
// branch sums them. Run them in one transaction for SQLite.
func (n Network) Statements(dialectName string) ([]string, error) {
	if n.ChildFrom == "" {
		n.ChildFrom = n.From
	}
	for _, d := range []string{n.From, n.To, n.ChildFrom} {
		if _, err := models.ParseDay(d); err != nil {
			return nil, err
		}
	}
	if n.Outlets < 1 || n.Outlets > 99999 || n.From > n.To {
		return nil, fmt.Errorf("branchseed: want 1-99999 outlets and From <= To")
	}
	d, err := dialectOf(dialectName, n)
	if err != nil {
		return nil, err
	}
	r := strings.NewReplacer("{code}", d.code, "{day}", d.day, "{doy}", d.doy, "{eps}", d.eps)
	amenities := values(SeededAmenities, true)
	categories := values(SeededCategories, false)
	return []string{
		r.Replace(`INSERT INTO outlets(code, name, grp, public_key, status, created_at, enrolled_at, last_contact_at)
		` + d.withOutlets + ` SELECT {code}, '网点' || i, '支行' || (i % 200), 'key' || i, 'active', 0, 0,
			1795600000000 FROM ` + d.fromOutlets),
		r.Replace(`INSERT INTO reports(outlet, day, revision, final, timezone, content_hash, body, generated_at, received_at,
			checkins, visitors, live, poster, assisted, feedback_received, feedback_resolved, feedback_open,
			activities, activity_participants)
		` + d.with + ` SELECT {code}, {day}, 1, TRUE, 'Asia/Shanghai', 'h', '{}', 'g',
			{eps} + 86700000, 60 + (i * 7 + {doy}) % 80, 40, 30 + (i * 7 + {doy}) % 80,
			20, 10, i % 3, i % 2, i % 5, (i + {doy}) % 30 / 29, (i + {doy}) % 30 / 29 * 25
		FROM ` + d.from),
		`INSERT INTO report_amenities(outlet, day, amenity, checkins, visitors)
		WITH a(code, n) AS (VALUES ` + amenities + `)
		SELECT r.outlet, r.day, a.code, 10 + a.n, 8 FROM reports r, a WHERE r.day >= '` + n.ChildFrom + `'`,
		`INSERT INTO report_categories(outlet, day, category, checkins)
		WITH c(code) AS (VALUES ` + categories + `)
		SELECT r.outlet, r.day, c.code, 10 FROM reports r, c WHERE r.day >= '` + n.ChildFrom + `'`,
		`INSERT INTO report_receipts(outlet, day, revision, outcome, received_at)
		SELECT outlet, day, 1, 'stored', received_at FROM reports WHERE day >= '` + n.ChildFrom + `' ORDER BY received_at, outlet`,
		`INSERT INTO outlet_profiles(outlet, name, address, opening_hours, timezone, lat, lng, amenities, generated_at, updated_at)
		SELECT code, name, '某市某区某路', '07:00-21:00', 'Asia/Shanghai', 31.2, 121.5, '` + profileAmenities() + `', 0, 0 FROM outlets`,
		`INSERT INTO month_outlets(month, outlet, days, checkins, visitors, live, poster, assisted,
			feedback_received, feedback_resolved, activities, activity_participants, last_day, last_feedback_open, last_received_at)
		SELECT substr(day, 1, 7), outlet, COUNT(*), SUM(checkins), SUM(visitors), SUM(live), SUM(poster), SUM(assisted),
			SUM(feedback_received), SUM(feedback_resolved), SUM(activities), SUM(activity_participants), MAX(day), 0, MAX(received_at)
		FROM reports GROUP BY substr(day, 1, 7), outlet`,
		`UPDATE month_outlets SET last_feedback_open = (SELECT r.feedback_open FROM reports r
			WHERE r.outlet = month_outlets.outlet AND r.day = month_outlets.last_day)`,
		`INSERT INTO day_totals(day, reports, checkins, visitors)
		SELECT day, COUNT(*), SUM(checkins), SUM(visitors) FROM reports GROUP BY day`,
		`INSERT INTO day_amenities(day, amenity, checkins, visitors)
		SELECT day, amenity, SUM(checkins), SUM(visitors) FROM report_amenities GROUP BY day, amenity`,
		`INSERT INTO day_categories(day, category, checkins)
		SELECT day, category, SUM(checkins) FROM report_categories GROUP BY day, category`,
	}, nil
}

// values writes codes as the rows of a VALUES list, numbered from 1 when
// numbered is set.
func values(codes []string, numbered bool) string {
	rows := make([]string, len(codes))
	for i, c := range codes {
		rows[i] = "('" + c + "')"
		if numbered {
			rows[i] = fmt.Sprintf("('%s', %d)", c, i+1)
		}
	}
	return strings.Join(rows, ", ")
}

// profileAmenities is the directory profile's amenity list, as JSON.
func profileAmenities() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, code := range SeededAmenities {
		if i > 0 {
			b.WriteByte(',')
		}
		a, _ := models.CatalogByCode(code)
		fmt.Fprintf(&b, `{"code":%q,"zh":%q,"en":%q}`, code, a.ZH, a.EN)
	}
	b.WriteByte(']')
	return b.String()
}
