package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"slices"
	"text/tabwriter"
	"time"

	"gorm.io/gorm"

	"harbor/app/branch/branchseed"
	"harbor/config"
	"harbor/models"
)

// queriesFigures is what the queries scenario measured.
type queriesFigures struct {
	Machine  machine       `json:"machine"`
	Backend  string        `json:"backend"`
	Outlets  int           `json:"outlets"`
	Days     int           `json:"days"`
	From     string        `json:"from"`
	To       string        `json:"to"`
	Reports  int64         `json:"reports"`
	Children int64         `json:"amenity_and_category_rows"`
	SeedSec  float64       `json:"seed_seconds"`
	Queries  []queryResult `json:"queries"`
}

type queryResult struct {
	Name   string    `json:"name"`
	Path   string    `json:"path"`
	Bytes  int       `json:"bytes"` // body as received (decompressed)
	Ms     []float64 `json:"ms"`
	P50    float64   `json:"p50_ms"`
	P95    float64   `json:"p95_ms"`
	Max    float64   `json:"max_ms"`
	Target float64   `json:"target_ms"`
}

func runQueries(args []string) error {
	var jsonPath, dsn, profile string
	fs := newFlags("queries", &jsonPath)
	fs.StringVar(&dsn, "db", "", "PostgreSQL URL to run on (a schema is created and dropped); empty: SQLite in a temporary folder")
	outlets := fs.Int("outlets", 33, "outlets to seed")
	days := fs.Int("days", 3*365, "days of reports to seed, up to yesterday")
	childDays := fs.Int("child-days", 61, "days (up to yesterday) that also get per-amenity and per-category rows and receipts")
	reps := fs.Int("reps", 20, "repetitions of each query")
	target := fs.Duration("target", 0, "p95 target of the pages (default: 50ms up to 1,000 outlets, else 500ms)")
	fs.StringVar(&profile, "cpuprofile", "", "write a CPU profile of the timed queries here")
	var opts schemaOpts
	fs.StringVar(&opts.schema, "schema", "", "PostgreSQL: reuse this schema, seeded by an earlier run with the same -outlets and -days and -keep, instead of seeding")
	fs.BoolVar(&opts.keep, "keep", false, "PostgreSQL: keep the schema at the end, for -schema")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *target == 0 {
		*target = 50 * time.Millisecond
		if *outlets > 1000 {
			*target = 500 * time.Millisecond
		}
	}
	// The branch's clock: 10:00 in Shanghai on the day after the last
	// seeded day, so the seeded days run up to yesterday.
	loc, err := time.LoadLocation(config.BranchDefaults().TimeZone)
	if err != nil {
		return err
	}
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, loc)
	yesterday := models.AddDays(now.Format(models.DayLayout), -1)
	net := branchseed.Network{Outlets: *outlets, From: models.AddDays(yesterday, 1-*days), To: yesterday,
		ChildFrom: models.AddDays(yesterday, 1-min(*childDays, *days))}
	f := queriesFigures{Machine: thisMachine(), Outlets: *outlets, Days: *days, From: net.From, To: net.To}
	fmt.Println("machine:", f.Machine)
	srv, err := startBranch(dsn, opts, func() time.Time { return now })
	if err != nil {
		return err
	}
	defer srv.stop()
	f.Backend = srv.Backend

	start := time.Now()
	if opts.schema == "" {
		if err := seedNetwork(srv, net); err != nil {
			return err
		}
		f.SeedSec = time.Since(start).Seconds()
	}
	g := srv.Branch.Svc.DB().Read
	g.Raw(`SELECT COUNT(*) FROM reports`).Scan(&f.Reports)
	var a, c int64
	g.Raw(`SELECT COUNT(*) FROM report_amenities`).Scan(&a)
	g.Raw(`SELECT COUNT(*) FROM report_categories`).Scan(&c)
	f.Children = a + c
	fmt.Printf("%s: seeded %d outlets × %d days (%s..%s) = %d reports, %d amenity + %d category rows from %s, in %.1f s\n",
		f.Backend, *outlets, *days, net.From, net.To, f.Reports, a, c, net.ChildFrom, f.SeedSec)

	client, err := consoleClient(srv)
	if err != nil {
		return err
	}
	month := yesterday[:7]
	lastMonth := models.AddDays(month+"-01", -1)[:7]
	mid := yesterday[:8] + "15"
	if mid > yesterday {
		mid = yesterday
	}
	outlet := fmt.Sprintf("N%05d", (*outlets+1)/2)
	checks := []queryResult{
		{Name: "day overview (yesterday, + month to date)", Path: "/api/v1/overview?day=" + yesterday, Target: ms(*target)},
		{Name: "day overview (mid-month)", Path: "/api/v1/overview?day=" + mid, Target: ms(*target)},
		{Name: "month overview (assessment, last month)", Path: "/api/v1/assessment?month=" + lastMonth, Target: ms(*target)},
		{Name: "month overview (assessment, this month)", Path: "/api/v1/assessment?month=" + month, Target: ms(*target)},
		{Name: "outlet page (30 days)", Path: "/api/v1/outlets/" + outlet, Target: ms(*target)},
		{Name: "console overview page (HTML)", Path: "/console/overview?day=" + yesterday, Target: ms(*target)},
		{Name: "console outlet page (HTML)", Path: "/console/outlets/" + outlet, Target: ms(*target)},
		{Name: "monthly workbook (XLSX, last month)", Path: "/console/reports.xlsx?month=" + lastMonth, Target: 10_000},
	}
	err = cpuProfiled(profile, "the queries", func() error {
		for i := range checks {
			if err := timeQuery(client, srv.URL, &checks[i], *reps); err != nil {
				return err
			}
			fmt.Printf("  %-44s p50 %8.1f ms  p95 %8.1f ms\n", checks[i].Name, checks[i].P50, checks[i].P95)
		}
		return nil
	})
	if err != nil {
		return err
	}
	f.Queries = checks
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "query\tpath\tbytes\tp50 ms\tp95 ms\tmax ms\ttarget ms\t\t")
	for _, q := range checks {
		verdict := "met"
		if q.P95 > q.Target {
			verdict = "MISSED"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t%s\t\n", q.Name, q.Path, q.Bytes, q.P50, q.P95, q.Max, q.Target, verdict)
	}
	tw.Flush()
	fmt.Printf("server log: %d error lines\n", srv.Logs.Errors.Load())
	return writeJSON(jsonPath, f)
}

// seedNetwork fills the branch's tables with net in bulk SQL (see
// branchseed.Network), in one transaction, then updates the planner's
// statistics.
func seedNetwork(srv *branchServer, net branchseed.Network) error {
	stmts, err := net.Statements(srv.Backend)
	if err != nil {
		return err
	}
	w := srv.Branch.Svc.DB().Write
	space := regexp.MustCompile(`\s+`)
	err = w.Transaction(func(tx *gorm.DB) error {
		for _, q := range stmts {
			t0 := time.Now()
			if err := tx.Exec(q).Error; err != nil {
				return fmt.Errorf("%.80s: %w", q, err)
			}
			fmt.Printf("  seeded in %5.1f s: %.70s\n", time.Since(t0).Seconds(), space.ReplaceAllString(q, " "))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if srv.Backend == config.DriverPostgres {
		return w.Exec(`VACUUM ANALYZE`).Error
	}
	return w.Exec(`ANALYZE`).Error
}

// consoleClient creates a viewer account and logs in through the console's
// login form; the session cookie serves both the console and the API.
func consoleClient(srv *branchServer) (*http.Client, error) {
	_, err := srv.Branch.Auth.AddUser(context.Background(), "bench", models.RoleViewer, "bench-password-1234")
	if err != nil && models.ErrorCode(err) != models.ECONFLICT { // a reused schema has the account
		return nil, err
	}
	jar, _ := cookiejar.New(nil)
	c := branchClient(4)
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(srv.URL + "/console/login")
	if err != nil {
		return nil, err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`).FindSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("login form: no CSRF token")
	}
	resp, err = c.PostForm(srv.URL+"/console/login", url.Values{"_csrf": {string(m[1])}, "name": {"bench"}, "password": {"bench-password-1234"}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("console login: %d", resp.StatusCode)
	}
	return c, nil
}

// timeQuery fetches q's path reps times (after one warm-up fetch) as a
// browser would, gzip accepted, and fills in its figures.
func timeQuery(c *http.Client, base string, q *queryResult, reps int) error {
	for i := -1; i < reps; i++ {
		t0 := time.Now()
		resp, err := c.Get(base + q.Path)
		if err != nil {
			return err
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %d %.200s", q.Path, resp.StatusCode, body)
		}
		if i >= 0 {
			q.Ms = append(q.Ms, ms(time.Since(t0)))
		}
		q.Bytes = len(body)
	}
	sorted := slices.Clone(q.Ms)
	slices.Sort(sorted)
	q.P50, q.P95, q.Max = quantileF(sorted, 0.50), quantileF(sorted, 0.95), sorted[len(sorted)-1]
	return nil
}

// quantileF is quantile for sorted milliseconds (nearest rank).
func quantileF(sorted []float64, q float64) float64 {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
