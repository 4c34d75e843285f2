package branch

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"harbor/app/branch/branchseed"
	"harbor/models"
)

// TestCheckEvidence: coverage and signals are optional (older outlets send
// neither); when sent they must fit the day's figures.
func TestCheckEvidence(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	good := func() models.Report {
		r := branchseed.Report("SY001", "2026-11-25", 1, 3)
		cov := [24]int{}
		for h := 8; h < 18; h++ {
			cov[h] = 60
		}
		r.Coverage = &cov
		phone := r.Channels.Live + r.Channels.Poster
		r.Signals = &models.Signals{Cookieless: 2, OffHours: 1, BusiestMinute: 12, BusiestAt: "09:41", BurstLimit: 10,
			BurstCheckIns: 12, TopAddress: phone / 10}
		return r
	}
	for _, c := range []struct {
		name, want string
		edit       func(map[string]any)
	}{
		{"complete", "", func(map[string]any) {}},
		{"no evidence", "", func(raw map[string]any) { delete(raw, "coverage"); delete(raw, "signals") }},
		{"23 hours", "coverage: want", func(raw map[string]any) { raw["coverage"] = raw["coverage"].([]any)[:23] }},
		{"61 minutes", "coverage[9] = 61", func(raw map[string]any) { raw["coverage"].([]any)[9] = 61 }},
		{"more cookie-less than phones", "signals.cookieless", func(raw map[string]any) {
			raw["signals"].(map[string]any)["cookieless"] = 1e6
		}},
		{"bad time", "busiest_minute_at", func(raw map[string]any) { raw["signals"].(map[string]any)["busiest_minute_at"] = "25:00" }},
		{"bursts without a busy minute", "no minute had more", func(raw map[string]any) {
			raw["signals"].(map[string]any)["busiest_minute"] = 5
		}},
	} {
		var raw map[string]any
		b, _ := json.Marshal(good())
		json.Unmarshal(b, &raw)
		c.edit(raw)
		b, _ = json.Marshal(raw)
		_, err := parseReport(b, "SY001", now)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: got %v, want an error about %q", c.name, err, c.want)
		}
	}
}
