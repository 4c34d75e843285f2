package branch

import (
	"encoding/json"
	"regexp"

	"harbor/models"
)

// clockPattern is a local time of day, HH:MM.
var clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// checkEvidence checks a report's optional coverage, paths and signals
// (protocol v1 gained them; reports without them stay valid): coverage is
// 24 hours of 0-60 minutes, the paths add up to the day's phone check-ins
// (live and poster), and every signal counts at most those.
func checkEvidence(body []byte, r models.Report) error {
	if r.Coverage != nil {
		var raw struct {
			Coverage []json.RawMessage `json:"coverage"`
		}
		if err := json.Unmarshal(body, &raw); err != nil || len(raw.Coverage) != 24 {
			return models.Errorf(models.EINVALID, "coverage: want the minutes served in each of 24 hours, got %d", len(raw.Coverage))
		}
		for h, n := range r.Coverage {
			if n < 0 || n > 60 {
				return models.Errorf(models.EINVALID, "coverage[%d] = %d: an hour has 0-60 minutes", h, n)
			}
		}
	}
	phone := r.Channels.Live + r.Channels.Poster
	if p := r.Paths; p != nil && (p.Local < 0 || p.Gateway < 0 || p.Local+p.Gateway != phone) {
		return models.Errorf(models.EINVALID, "paths: local %d and gateway %d must add up to the %d phone check-ins (live + poster)",
			p.Local, p.Gateway, phone)
	}
	g := r.Signals
	if g == nil {
		return nil
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"cookieless", g.Cookieless}, {"off_hours", g.OffHours}, {"busiest_minute", g.BusiestMinute},
		{"burst_checkins", g.BurstCheckIns}, {"top_address", g.TopAddress}} {
		if f.n < 0 || f.n > phone {
			return models.Errorf(models.EINVALID, "signals.%s = %d: must be between 0 and the %d phone check-ins (live + poster)",
				f.name, f.n, phone)
		}
	}
	switch {
	case g.BurstLimit < 1 || g.BurstLimit > 1000:
		return models.Errorf(models.EINVALID, "signals.burst_limit = %d: want 1-1000", g.BurstLimit)
	case (g.BusiestAt == "") != (g.BusiestMinute == 0) || g.BusiestAt != "" && !clockPattern.MatchString(g.BusiestAt):
		return models.Errorf(models.EINVALID, "signals.busiest_minute_at %q: want HH:MM of the busiest minute (none without check-ins)",
			truncate(g.BusiestAt, 10))
	case g.BurstCheckIns > 0 && g.BusiestMinute <= g.BurstLimit:
		return models.Errorf(models.EINVALID, "signals: %d check-ins in bursts but no minute had more than %d",
			g.BurstCheckIns, g.BurstLimit)
	}
	return nil
}
