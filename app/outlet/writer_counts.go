package outlet

import (
	"strconv"

	"harbor/models"
)

// dayCountKey names one row of day_counts (migrations/0004_day_counts.sql).
type dayCountKey struct{ day, kind, code string }

// dayCountDeltas gathers what one writer transaction adds to day_counts,
// so that each counter row is written once per batch, not per check-in.
type dayCountDeltas map[dayCountKey]*[2]int // check-ins, visitors

func (d dayCountDeltas) add(day, kind, code string, checkIns, visitors int) {
	k := dayCountKey{day, kind, code}
	v := d[k]
	if v == nil {
		v = new([2]int)
		d[k] = v
	}
	v[0] += checkIns
	v[1] += visitors
}

// addCheckIn counts the check-in p just stored. past are the visitor's
// visits of p's day stored before it (in this transaction too): a visitor
// counts once per day, and once per amenity and day. A visit without visitor id counts
// each of its people as a visitor.
func (d dayCountDeltas) addCheckIn(p *pendingCheckIn, past []visit) {
	newToday := func(amenity string) int {
		if p.visitorID == "" {
			return p.people
		}
		for _, v := range past {
			if amenity == "" || v.amenity == amenity {
				return 0
			}
		}
		return 1
	}
	d.add(p.day, "total", "", p.people, newToday(""))
	d.add(p.day, "category", p.category, p.people, 0)
	d.add(p.day, "channel", p.channel, p.people, 0)
	d.add(p.day, "hour", strconv.Itoa(p.hour), p.people, 0)
	for _, a := range p.res.Recorded {
		d.add(p.day, "amenity", a, p.people, newToday(a))
	}
	if p.channel == models.ChannelAssisted {
		return
	}
	d.add(p.day, kindMinute, strconv.Itoa(p.minute), p.people, 0)
	if p.cookieless {
		d.add(p.day, kindSignal, signalCookieless, p.people, 0)
	}
	if p.offHours {
		d.add(p.day, kindSignal, signalOffHours, p.people, 0)
	}
	if p.item != nil {
		d.add(p.day, kindSignal, signalGateway, p.people, 0)
	}
}

// Kinds and codes of day_counts rows the signals use (migration 0010):
// phone check-ins per local minute of the day, and per signal.
const (
	kindMinute       = "minute"
	kindSignal       = "signal"
	signalCookieless = "cookieless"
	signalOffHours   = "off_hours"
	signalTopAddress = "top_address" // the most check-ins from one address: grows by the difference
	signalGateway    = "gateway"     // phone check-ins taken at the public gateway (the report's paths)
)

// flush writes the gathered counts and marks their days dirty for the
// reporter, once per day.
func (d dayCountDeltas) flush(st checkInStmts) error {
	days := map[string]bool{}
	for k, v := range d {
		if _, err := st.count.Exec(k.day, k.kind, k.code, v[0], v[1]); err != nil {
			return err
		}
		days[k.day] = true
	}
	for day := range days {
		if _, err := st.markDirty.Exec(day); err != nil {
			return err
		}
	}
	return nil
}
