package scoring

import "time"

// FeedbackDay is one reported day's feedback counts: received that day,
// resolved that day, and open at its end; and, from outlets that send
// them, the ages of the day's resolutions.
type FeedbackDay struct {
	Day                      string // YYYY-MM-DD
	Received, Resolved, Open int64
	// Ages group the day's resolutions by how many days after the day
	// received each came, adding up to Resolved; nil when the report did
	// not say.
	Ages []FeedbackAge
}

// FeedbackAge is how many of a day's resolutions came Days days after the
// day their feedback was received.
type FeedbackAge struct {
	Days  int
	Count int64
}

// Rules of judging feedback in time, as Figures.FeedbackRule records them.
const (
	FeedbackExact = "exact" // from the ages of the resolutions
	FeedbackFIFO  = "fifo"  // first in, first out, from the daily counts
)

// JudgeFeedback judges an outlet's feedback received from from through
// through, from its reported days (in order, within those): exactly
// (FeedbackExactly) when every day that resolved any says the ages of its
// resolutions, else first in, first out (FeedbackOnTime). It returns the
// feedback due, that of it resolved in time, and the rule it used.
func JudgeFeedback(days []FeedbackDay, within int, from, through string) (due, onTime int64, rule string) {
	for _, d := range days {
		if d.Resolved > 0 && d.Ages == nil {
			due, onTime = FeedbackOnTime(days, within, through)
			return due, onTime, FeedbackFIFO
		}
	}
	due, onTime = FeedbackExactly(days, within, from, through)
	return due, onTime, FeedbackExact
}

// FeedbackExactly judges feedback by the ages of its resolutions: one
// resolved on day d at age a was received on d - a, and was in time when
// a <= within. Feedback received before from is the backlog, never judged.
// What each day received less what was resolved of it is still open after
// through: late once r + within <= through, and not yet due otherwise
// (as FeedbackOnTime). Resolutions of a day with more than it received
// (its report missing, or revised) count as resolved; none stays open.
func FeedbackExactly(days []FeedbackDay, within int, from, through string) (due, onTime int64) {
	resolvedOf := map[string]int64{}
	for _, d := range days {
		for _, a := range d.Ages {
			if a.Count <= 0 || a.Days < 0 {
				continue
			}
			received := addDays(d.Day, -a.Days)
			if received < from {
				continue
			}
			resolvedOf[received] += a.Count
			due += a.Count
			if a.Days <= within {
				onTime += a.Count
			}
		}
	}
	for _, d := range days {
		if open := d.Received - resolvedOf[d.Day]; open > 0 && d.Day >= from && daysApart(d.Day, through) >= within {
			due += open
		}
	}
	return due, onTime
}

// FeedbackOnTime judges an outlet's feedback of a period from its daily
// counts, as the branch receives no single items: first in, first out.
// Resolutions go to the oldest open feedback first: the backlog open
// before the period (the first day's open count less what that day added),
// then each day's in turn. Feedback received on day r and resolved on day
// d was resolved in time when d - r <= within days; still open after
// through, it is late once r + within <= through, and not yet due
// otherwise. days must be in order; due counts the feedback judged (in
// time or late), the backlog never.
func FeedbackOnTime(days []FeedbackDay, within int, through string) (due, onTime int64) {
	type batch struct {
		day string
		n   int64
	}
	var queue []batch
	if len(days) > 0 {
		d := days[0]
		if backlog := d.Open - d.Received + d.Resolved; backlog > 0 {
			queue = append(queue, batch{day: "", n: backlog})
		}
	}
	for _, d := range days {
		if d.Received > 0 {
			queue = append(queue, batch{day: d.Day, n: d.Received})
		}
		left := d.Resolved
		for left > 0 && len(queue) > 0 {
			b := &queue[0]
			n := min(left, b.n)
			if b.day != "" {
				due += n
				if daysApart(b.day, d.Day) <= within {
					onTime += n
				}
			}
			b.n -= n
			left -= n
			if b.n == 0 {
				queue = queue[1:]
			}
		}
	}
	for _, b := range queue {
		if b.day != "" && daysApart(b.day, through) >= within {
			due += b.n
		}
	}
	return due, onTime
}

// addDays is day moved by n days ("" for a malformed day).
func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return ""
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// daysApart is b - a in days.
func daysApart(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
