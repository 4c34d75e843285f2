package scoring

import "time"

// FeedbackDay is one reported day's feedback counts: received that day,
// resolved that day, and open at its end.
type FeedbackDay struct {
	Day                      string // YYYY-MM-DD
	Received, Resolved, Open int64
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

// daysApart is b - a in days.
func daysApart(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
