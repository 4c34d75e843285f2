package models

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// FiguresHash hashes the figures of a report the branch counts and pays
// on: everything but its outlet, day, time zone, revision, finality,
// generation time and profile. Outlet and branch compute it alike, from
// the document as sent, so that an outlet told "stale" can tell whether
// the branch holds its figures under a higher revision (after a restore)
// and a branch can tell a revision that changed figures from one that only
// made the day final.
func FiguresHash(r Report) string {
	b, _ := json.Marshal(struct {
		Totals     ReportTotals     `json:"totals"`
		Amenities  []AmenityCount   `json:"amenities"`
		Categories []CategoryCount  `json:"categories"`
		Channels   ChannelCounts    `json:"channels"`
		Hours      [24]int          `json:"hours"`
		Feedback   *FeedbackCounts  `json:"feedback"`
		Activities []ActivityReport `json:"activities"`
		Coverage   *[24]int         `json:"coverage"`
		Signals    *Signals         `json:"signals"`
	}{r.Totals, r.Amenities, r.Categories, r.Channels, r.Hours, r.Feedback, r.Activities, r.Coverage, r.Signals})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
