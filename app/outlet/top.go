package outlet

import (
	"cmp"
	"context"
	"slices"

	"harbor/models"
)

// The station page shows the outlet's most used amenities first, so that
// a worker who used water and a charger reaches the submit button within
// one screen; the rest wait behind "更多服务".

const (
	// TopCount is how many amenities the station page shows first, unless
	// managers pinned more.
	TopCount = 8
	// MaxPinned bounds the amenities a manager may pin.
	MaxPinned = 12
	// TopWindowDays is how many days before today the usage figures cover.
	TopWindowDays = 28
	// topAllBelow: an outlet offering fewer amenities than this shows them
	// all first, without a "more" section of two or three.
	topAllBelow = TopCount + 3
)

// commonFirst orders amenities that have no figures yet (a new outlet, or
// a quiet month): what most stations' workers use most.
var commonFirst = []string{"water", "hot_water", "phone_charging", "toilet", "rest", "microwave", "ebike_charging",
	"cooling", "heating", "first_aid"}

// topCache is the top amenities of one local day and profile. The figures
// change once a day (today's are not counted, so tiles do not move about
// while workers use the page) and the order when the profile changes.
type topCache struct {
	day     string
	profile *models.Profile
	codes   []string
}

// TopAmenities returns, in display order, the codes of the enabled
// amenities the station page shows first: the pinned ones, then the most
// used of the TopWindowDays days before today (day_counts), then the
// rest in kiosk order, TopCount in all or every pinned one. The answer is
// cached until the local day or the profile changes, so a page view costs
// no query.
func (s *Service) TopAmenities(ctx context.Context) ([]string, error) {
	today, _ := models.LocalDay(s.now(), s.cfg.Location)
	p := s.Profile()
	if c := s.top.Load(); c != nil && c.day == today && c.profile == p {
		return c.codes, nil
	}
	var usage []struct {
		Code string
		N    int
	}
	err := s.db.Read.WithContext(ctx).Raw(`SELECT code, SUM(check_ins) AS n FROM day_counts
		WHERE day >= ? AND day < ? AND kind = 'amenity' GROUP BY code`,
		models.AddDays(today, -TopWindowDays), today).Scan(&usage).Error
	if err != nil {
		return nil, err
	}
	used := make(map[string]int, len(usage))
	for _, u := range usage {
		used[u.Code] = u.N
	}
	codes := topOf(p.Amenities, used)
	s.top.Store(&topCache{day: today, profile: p, codes: codes})
	return codes, nil
}

// topOf picks the top amenities of enabled (in kiosk order) given each
// code's recent check-ins: pinned first, then by check-ins, then the
// commonly used, then kiosk order.
func topOf(enabled []models.Amenity, used map[string]int) []string {
	common := func(code string) int {
		if i := slices.Index(commonFirst, code); i >= 0 {
			return i
		}
		return len(commonFirst)
	}
	ranked := slices.Clone(enabled)
	slices.SortStableFunc(ranked, func(a, b models.Amenity) int {
		if a.Pinned != b.Pinned {
			if a.Pinned {
				return -1
			}
			return 1
		}
		if a.Pinned {
			return 0 // pinned ones keep the kiosk order
		}
		return cmp.Or(cmp.Compare(used[b.Code], used[a.Code]), cmp.Compare(common(a.Code), common(b.Code)))
	})
	n := TopCount
	if len(ranked) < topAllBelow {
		n = len(ranked)
	}
	var out []string
	for i, a := range ranked {
		if i >= n && !a.Pinned {
			break
		}
		out = append(out, a.Code)
	}
	return out
}

// SetAmenityPinned pins an amenity to the top of the station page, or
// unpins it. Pins do not change the report: they only reorder the page.
func (s *Service) SetAmenityPinned(ctx context.Context, code string, pinned bool) error {
	if pinned {
		n := 0
		for _, a := range s.Profile().Amenities {
			if a.Pinned && a.Code != code {
				n++
			}
		}
		if n >= MaxPinned {
			return models.Errorf(models.EINVALID, "最多置顶 %d 项，请先取消一项 / at most %d pinned amenities: unpin one first", MaxPinned, MaxPinned)
		}
	}
	if err := s.setAmenityFlag(ctx, code, "pinned", pinned); err != nil {
		return err
	}
	return s.reloadProfile(ctx)
}
