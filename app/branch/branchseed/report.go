// Package branchseed makes branch data for benchmarks and scale tests:
// realistic signed-report documents (Report) and bulk SQL that fills the
// branch tables of a whole network directly (Network).
package branchseed

import (
	"fmt"
	"time"

	"harbor/models"
)

// ReportAmenities and ReportCategories are how many amenity and category
// rows a Report carries: a busy outlet's day.
const (
	ReportAmenities  = 15
	ReportCategories = 6
)

// Report returns a consistent, realistic report of outlet code for day:
// ReportAmenities amenities, ReportCategories categories, all 24 hours
// (opening hours 07-20 non-zero), channels, feedback, an activity on some
// days and the outlet's public profile, as an outlet sends it. seed varies
// the figures (use the outlet's number); every report passes the branch's
// checks.
func Report(code, day string, revision, seed int) models.Report {
	t, err := time.Parse(models.DayLayout, day)
	if err != nil {
		panic(err)
	}
	doy := t.YearDay()
	n := 120 + (seed*37+doy*11+revision*5)%180 // check-ins of the day
	visitors := n * 7 / 10
	r := models.Report{
		Schema: models.ReportSchema, Outlet: code, Day: day, TimeZone: "Asia/Shanghai",
		Revision: revision, Final: true, GeneratedAt: day + "T23:59:30+08:00",
		Totals:   models.ReportTotals{CheckIns: n, Visitors: visitors},
		Feedback: &models.FeedbackCounts{Received: seed % 3, Resolved: seed % 2, Open: seed % 3 / 2},
	}
	profile := &models.OutletProfile{Name: "网点 " + code, Address: fmt.Sprintf("某市某区某路 %d 号", seed%900+1),
		OpeningHours: "07:00-21:00"}
	lat, lng := 31.0+float64(seed%1000)/1000, 121.0+float64(seed%977)/1000
	profile.Latitude, profile.Longitude = &lat, &lng
	for k := 0; k < ReportAmenities; k++ {
		a := models.Catalog[(seed+k)%len(models.Catalog)]
		c := n * (ReportAmenities - k) / (ReportAmenities + 2)
		r.Amenities = append(r.Amenities, models.AmenityCount{Code: a.Code, CheckIns: c, Visitors: min(c*8/10, visitors)})
		profile.Amenities = append(profile.Amenities, models.ProfileAmenity{Code: a.Code, ZH: a.ZH, EN: a.EN})
	}
	left := n
	for k := 0; k < ReportCategories; k++ {
		c := n / (ReportCategories + 1)
		if k == ReportCategories-1 {
			c = left
		}
		left -= c
		r.Categories = append(r.Categories, models.CategoryCount{Code: models.Categories[(seed+k)%len(models.Categories)].Code, CheckIns: c})
	}
	r.Channels = models.ChannelCounts{Live: n / 2, Poster: n / 3, Assisted: n - n/2 - n/3}
	left = n
	for h := 7; h <= 20; h++ {
		c := n / 14
		if h == 20 {
			c = left
		}
		r.Hours[h], left = c, left-c
	}
	if (seed+doy)%5 == 0 {
		r.Activities = []models.ActivityReport{{Theme: "防暑降温宣传", Venue: "outlet", Participants: 10 + seed%20}}
	}
	r.Profile = profile
	coverage := [24]int{}
	for h := range coverage {
		coverage[h] = 60
	}
	phone := r.Channels.Live + r.Channels.Poster
	r.Coverage = &coverage
	r.Signals = &models.Signals{Cookieless: phone * (1 + (seed+doy)%3) / 100, BusiestMinute: 3 + (seed+doy)%4,
		BusiestAt: fmt.Sprintf("%02d:%02d", 7+(seed+doy)%13, (seed*7+doy)%60), BurstLimit: 10,
		TopAddress: 2 + (seed+doy)%5}
	return r
}

// Inflated is r with extra check-ins a script posted from one address
// without cookies all day and night, in bursts, as an outlet inflating its
// own figures would: the figures stay consistent, and so do the signals
// the outlet counts of them.
func Inflated(r models.Report, extra int) models.Report {
	r.Totals.CheckIns += extra
	r.Totals.Visitors += extra / 10
	r.Channels.Poster += extra
	r.Amenities = append([]models.AmenityCount{}, r.Amenities...)
	r.Amenities[0].CheckIns += extra
	r.Categories = append([]models.CategoryCount{}, r.Categories...)
	r.Categories[len(r.Categories)-1].CheckIns += extra
	night := 0
	for h := range r.Hours {
		n := extra / 24
		if h == 23 {
			n = extra - 23*(extra/24)
		}
		r.Hours[h] += n
		if h < 7 || h >= 21 {
			night += n
		}
	}
	g := *r.Signals
	g.Cookieless += extra
	g.OffHours += night
	g.TopAddress += extra
	g.BurstCheckIns += extra / 2
	g.BusiestMinute, g.BusiestAt = max(g.BusiestMinute, 25), "03:17"
	r.Signals = &g
	return r
}
