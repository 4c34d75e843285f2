package console

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"harbor/app/branch"
	"harbor/models"
)

// flagLink is a flag as the console shows it: its words and the outlet-day
// (or, without a day, the outlet page) it points at.
type flagLink struct {
	Code, Name string // the outlet
	branch.Flag
	URL, Label string
}

// outletDayURL is the page of one outlet-day.
func outletDayURL(code, day string) string {
	return "/console/outlets/" + url.PathEscape(code) + "/days/" + url.PathEscape(day)
}

// flagLinks links an outlet's flags.
func flagLinks(code, name string, flags []branch.Flag) []flagLink {
	out := make([]flagLink, len(flags))
	for i, f := range flags {
		u := "/console/outlets/" + url.PathEscape(code)
		if f.Day != "" {
			u = outletDayURL(code, f.Day)
		}
		out[i] = flagLink{Code: code, Name: name, Flag: f, URL: u, Label: branch.FlagName(f.Code)}
	}
	return out
}

// pct writes a 0..1 share as a whole percentage; "" when unknown.
func pct(x *float64) string {
	if x == nil {
		return ""
	}
	return strconv.FormatFloat(100**x, 'f', 0, 64) + "%"
}

// signalNames name the signals judged against the network.
var signalNames = map[string]string{
	branch.FlagTopAddress: "最忙地址占比 busiest address",
	branch.FlagCookieless: "无 Cookie 占比 cookie-less",
	branch.FlagOffHours:   "开放时间外占比 off hours",
	branch.FlagBursts:     "爆发时段占比 in bursts",
}

type benchRow struct {
	branch.SignalBench
	Name, Share, Median, Spread string
}

type hourRow struct {
	Hour                   int
	Served, Open, CheckIns int
	Short                  bool // served less than open
}

type outletDayView struct {
	D                branch.OutletDayDetail
	Coverage         string
	Threshold        string
	Hours            []hourRow
	Benches          []benchRow
	Flags            []flagLink
	Receipts         []receiptRow
	Received         string
	PrevDay, NextDay string
	Rule             string
}

// OutletDay shows one outlet-day: what the flags of the console and the
// workbooks link to.
func (con *Handler) OutletDay(c *fiber.Ctx) error {
	d, err := con.Svc.OutletDay(c.UserContext(), c.Params("code"), c.Params("day"))
	if err != nil {
		return err
	}
	v := outletDayView{D: d, Coverage: pct(d.Coverage), Received: con.localTime(d.Received),
		Threshold: strconv.Itoa(con.Svc.Config().CoverageThreshold) + "%",
		Flags:     flagLinks(d.Outlet.Code, d.Outlet.Name, d.Flags),
		PrevDay:   models.AddDays(d.Day, -1), NextDay: models.AddDays(d.Day, 1), Rule: branch.SignalRule()}
	if r := d.Report; r != nil && r.Coverage != nil && d.OpenMinutes != nil {
		for h := range 24 {
			v.Hours = append(v.Hours, hourRow{Hour: h, Served: r.Coverage[h], Open: d.OpenMinutes[h], CheckIns: r.Hours[h],
				Short: r.Coverage[h] < d.OpenMinutes[h]})
		}
	}
	for _, b := range d.Network {
		v.Benches = append(v.Benches, benchRow{SignalBench: b, Name: signalNames[b.Code], Share: pct(b.Share),
			Median: pct(&b.Median), Spread: pct(&b.Spread)})
	}
	for _, r := range d.Receipts {
		v.Receipts = append(v.Receipts, receiptRow{Receipt: r, Outcome: outcomeNames[r.Outcome], Received: con.localTime(&r.ReceivedAt)})
	}
	return con.render(c, fiber.StatusOK, "outlet_day.html", con.page(c, d.Outlet.Name+" · "+d.Day, v))
}

// OutletDayAPI answers GET /api/v1/outlets/{code}/days/{day} with the
// outlet-day page's figures.
func (con *Handler) OutletDayAPI(c *fiber.Ctx) error {
	d, err := con.Svc.OutletDay(c.UserContext(), c.Params("code"), c.Params("day"))
	if err != nil {
		return err
	}
	return sendJSON(c, d)
}
