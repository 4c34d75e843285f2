package branch

// SignalTotals add up the signals of the days whose reports carried them
// (models.Signals): Phone is those days' phone check-ins (live and
// poster), the whole the others are shares of.
type SignalTotals struct {
	Phone         int `json:"phone"`
	Cookieless    int `json:"cookieless"`
	OffHours      int `json:"off_hours"`
	TopAddress    int `json:"top_address"`
	BurstCheckIns int `json:"burst_checkins"`
}

func (t *SignalTotals) add(o SignalTotals, sign int) {
	t.Phone += sign * o.Phone
	t.Cookieless += sign * o.Cookieless
	t.OffHours += sign * o.OffHours
	t.TopAddress += sign * o.TopAddress
	t.BurstCheckIns += sign * o.BurstCheckIns
}

// CoverageTotals add up the coverage of the days whose reports carried it:
// how many, the minutes served within opening hours and the minutes of
// opening hours.
type CoverageTotals struct {
	DaysKnown   int   `json:"days_known"`
	UpMinutes   int64 `json:"up_minutes"`
	OpenMinutes int64 `json:"open_minutes"`
}

func (t *CoverageTotals) add(o CoverageTotals, sign int) {
	t.DaysKnown += sign * o.DaysKnown
	t.UpMinutes += int64(sign) * o.UpMinutes
	t.OpenMinutes += int64(sign) * o.OpenMinutes
}

// Share is the share of opening hours served, 0..1; nil when unknown or
// when nothing was open.
func (t CoverageTotals) Share() *float64 {
	if t.DaysKnown == 0 || t.OpenMinutes == 0 {
		return nil
	}
	x := float64(t.UpMinutes) / float64(t.OpenMinutes)
	return &x
}

// The evidence columns summed, from the month rollups and from the
// reports; evidenceDest scans them, in this order.
const (
	evidenceSumsMonth = `cov_days, up_minutes, open_minutes, sig_phone, cookieless, off_hours, top_address, burst_checkins`
	evidenceSumsDays  = `SUM(CASE WHEN up_minutes IS NULL THEN 0 ELSE 1 END) AS cov_days,
		COALESCE(SUM(up_minutes), 0) AS up_minutes, COALESCE(SUM(open_minutes), 0) AS open_minutes,
		COALESCE(SUM(sig_phone), 0) AS sig_phone, SUM(cookieless) AS cookieless, SUM(off_hours) AS off_hours,
		SUM(top_address) AS top_address, SUM(burst_checkins) AS burst_checkins`
)

// evidenceSumsUpdate adds a new day's evidence to a month's rollup row.
const evidenceSumsUpdate = `cov_days = month_outlets.cov_days + excluded.cov_days,
	up_minutes = month_outlets.up_minutes + excluded.up_minutes,
	open_minutes = month_outlets.open_minutes + excluded.open_minutes,
	sig_phone = month_outlets.sig_phone + excluded.sig_phone, cookieless = month_outlets.cookieless + excluded.cookieless,
	off_hours = month_outlets.off_hours + excluded.off_hours, top_address = month_outlets.top_address + excluded.top_address,
	burst_checkins = month_outlets.burst_checkins + excluded.burst_checkins`

func evidenceDest(g *SignalTotals, c *CoverageTotals) []any {
	return []any{&c.DaysKnown, &c.UpMinutes, &c.OpenMinutes, &g.Phone, &g.Cookieless, &g.OffHours, &g.TopAddress, &g.BurstCheckIns}
}
