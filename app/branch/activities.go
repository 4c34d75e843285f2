package branch

import (
	"context"
	"sort"

	"gorm.io/gorm"
)

// MaxActivityList bounds the activities listed one by one.
const MaxActivityList = 500

// VenueTotal is the activities held at one kind of venue.
type VenueTotal struct {
	Venue        string `json:"venue"`
	Activities   int    `json:"activities"`
	Participants int    `json:"participants"`
}

// OutletActivities is one outlet's activities over the period.
type OutletActivities struct {
	OutletRef
	Activities   int `json:"activities"`
	Participants int `json:"participants"`
}

// ActivitySummary is the education activities (金融知识宣教) across the
// network over a period: "900+ activities, all 33 outlets, 20,000+
// participants".
type ActivitySummary struct {
	Period       Period             `json:"period"`
	Activities   int                `json:"activities"`
	Participants int                `json:"participants"`
	TookPart     int                `json:"outlets_took_part"`
	Enrolled     int                `json:"outlets_enrolled"`
	ByVenue      []VenueTotal       `json:"by_venue"`
	PerOutlet    []OutletActivities `json:"per_outlet"` // most activities first
	List         []ActivityRow      `json:"list"`       // newest first, at most MaxActivityList
}

// Activities sums the education activities of every outlet over p.
func (s *Service) Activities(ctx context.Context, p Period) (ActivitySummary, error) {
	sum := ActivitySummary{Period: p, ByVenue: []VenueTotal{}, PerOutlet: []OutletActivities{}, List: []ActivityRow{}}
	err := s.db.ReadTx(ctx, func(tx *gorm.DB) error {
		reg, err := registry(tx)
		if err != nil {
			return err
		}
		sums, err := outletSums(tx, p.From, p.To, s.lastDataDay())
		if err != nil {
			return err
		}
		for _, r := range reg {
			if r.expected() {
				sum.Enrolled++
			}
			t := sums[r.Code]
			if t == nil || t.Activities == 0 {
				continue
			}
			sum.TookPart++
			sum.Activities += t.Activities
			sum.Participants += t.Participants
			sum.PerOutlet = append(sum.PerOutlet, OutletActivities{OutletRef: OutletRef{Code: r.Code, Name: r.Name, Group: r.Grp},
				Activities: t.Activities, Participants: t.Participants})
		}
		sort.SliceStable(sum.PerOutlet, func(i, j int) bool { return sum.PerOutlet[i].Activities > sum.PerOutlet[j].Activities })
		if err := tx.Raw(`SELECT venue, COUNT(*) AS activities, SUM(participants) AS participants FROM report_activities
			WHERE day >= ? AND day <= ? GROUP BY venue ORDER BY COUNT(*) DESC, venue`, p.From, p.To).Scan(&sum.ByVenue).Error; err != nil {
			return err
		}
		return tx.Raw(`SELECT a.outlet, o.name, a.day, a.theme, a.venue, a.participants
			FROM report_activities a JOIN outlets o ON o.code = a.outlet
			WHERE a.day >= ? AND a.day <= ? ORDER BY a.day DESC, a.outlet, a.seq LIMIT ?`,
			p.From, p.To, MaxActivityList).Scan(&sum.List).Error
	})
	return sum, err
}
