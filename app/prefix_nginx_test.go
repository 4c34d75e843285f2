package app_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/config"
)

// TestBehindNginxWithAPathPrefix runs the outlet under /o/SY001 and the
// gateway under /g behind a real nginx (--base-url with a path), and
// crawls both through it as a browser would: the worker pages, their
// forms and redirects, the feedback form, an error page, the lobby
// display, every staff console page a manager reaches, the directory and
// its script. Every link, form action, redirect, cookie path and asset
// stays under its server's prefix, and every link answers.
func TestBehindNginxWithAPathPrefix(t *testing.T) {
	proxy := freeAddr(t)
	g := newGatewayNetAt(t, "http://"+proxy+"/g")
	o := g.addOutletWith("SY001", g.url, g.clock, func(c *config.Outlet) {
		c.BaseURL = "http://" + proxy + "/o/SY001"
		c.PublicURL, c.GatewayURL = "http://"+proxy+"/g", g.gw.PullURL
	})
	pullAll(t, o)
	o.AddStaff("boss", "manager", testPassword)
	outletAddr := strings.TrimPrefix(apptest.ServeHTTP(t, o.HTTP), "http://")
	gatewayAddr := strings.TrimPrefix(apptest.ServeHTTP(t, g.gw.Public), "http://")
	apptest.Nginx(t, proxy, `
    location /o/SY001/ { proxy_pass http://`+outletAddr+`; proxy_set_header X-Forwarded-For $remote_addr; }
    location /g/ { proxy_pass http://`+gatewayAddr+`; proxy_set_header X-Forwarded-For $remote_addr; }`)

	tok := url.QueryEscape(o.Svc.PosterToken(""))
	base := "http://" + proxy
	b := newCrawler(t, base)

	// The outlet's worker pages, through nginx.
	b.follow("/o/SY001", "/o/SY001/k/SY001?t="+tok)
	done := b.post("/o/SY001", "/o/SY001/k/SY001", url.Values{"t": {o.Svc.PosterToken("")}, "a": {"water"}})
	b.follow("/o/SY001", done)
	b.follow("/o/SY001", "/o/SY001/k/SY001?t=p9.forgedforgedforged") // the error page
	b.post("/o/SY001", "/o/SY001/k/SY001/feedback", url.Values{"rating": {"5"}})
	b.cookiePaths("/o/SY001/")

	// The lobby display, unlocked by its key.
	key, _ := o.Svc.DisplayKey(context.Background())
	b.follow("/o/SY001", b.get("/o/SY001/display?key="+key, http.StatusSeeOther))

	// The staff console: login, then every page a manager reaches.
	login := b.page("/o/SY001/staff", http.StatusOK) // → today → login, following the redirects
	csrf := apptest.CSRFToken(login)
	today := b.post("/o/SY001", "/o/SY001/staff/login", url.Values{"_csrf": {csrf}, "name": {"boss"},
		"password": {testPassword}, "next": {"/o/SY001/staff/today"}})
	if today != "/o/SY001/staff/today" {
		t.Fatalf("login redirects to %q", today)
	}
	b.crawl("/o/SY001", "/o/SY001/staff/today", 60)
	b.cookiePaths("/o/SY001/")

	// The gateway's pages, through nginx.
	g2 := newCrawler(t, base)
	g2.crawl("/g", "/g/", 10)
	g2.follow("/g", "/g/k/SY001?t="+tok)
	done = g2.post("/g", "/g/k/SY001", url.Values{"t": {o.Svc.PosterToken("")}, "a": {"water", "tea"}})
	g2.follow("/g", done)
	g2.post("/g", "/g/k/SY001/feedback", url.Values{"rating": {"4"}})
	g2.cookiePaths("/g/")
	if got := pullAll(t, o); len(got) == 0 {
		t.Fatal("the scans through the proxied gateway did not reach the outlet")
	}
	t.Logf("%d pages of the outlet and %d of the gateway crawled through nginx", len(b.seen), len(g2.seen))
}

// newGatewayNetAt is newGatewayNet with the gateway's --base-url base.
func newGatewayNetAt(t *testing.T, base string) *gatewayNet {
	n := newNetwork(t)
	key, err := n.branch.Svc.GatewayPublicKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := apptest.GatewayConfig(t, key)
	cfg.BaseURL, cfg.ProxyHeader = base, "X-Forwarded-For"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return &gatewayNet{network: n, gw: apptest.NewGatewayAt(t, cfg, n.clock)}
}

// crawler is a browser that reads pages through the proxy: it keeps
// cookies, follows no redirect by itself, and checks every link of every
// page it reads against the page's prefix.
type crawler struct {
	t      *testing.T
	base   string
	client *http.Client
	seen   map[string]bool
}

func newCrawler(t *testing.T, base string) *crawler {
	jar, _ := cookiejar.New(nil)
	return &crawler{t: t, base: base, seen: map[string]bool{}, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var linkAttr = regexp.MustCompile(`(href|action|src|data-refresh-url)="([^"]*)"`)

// links are the page's links and form actions, unescaped; gets only those
// a browser follows with a GET.
func links(page string, gets bool) []string {
	var out []string
	for _, m := range linkAttr.FindAllStringSubmatch(page, -1) {
		if !gets || m[1] != "action" {
			out = append(out, strings.ReplaceAll(m[2], "&amp;", "&"))
		}
	}
	return out
}

// check requires every link of page to stay under prefix (or be a data:,
// geo: or fragment link).
func (c *crawler) check(prefix, from, page string) {
	c.t.Helper()
	for _, l := range links(page, false) {
		if strings.HasPrefix(l, "data:") || strings.HasPrefix(l, "geo:") || strings.HasPrefix(l, "#") {
			continue
		}
		if !strings.HasPrefix(l, prefix+"/") && l != prefix {
			c.t.Errorf("%s links to %q, outside %s", from, l, prefix)
		}
	}
}

// get fetches path and requires status; for a redirect it returns the
// Location, else the body.
func (c *crawler) get(path string, status int) string {
	c.t.Helper()
	resp, err := c.client.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		c.t.Fatalf("GET %s: %d, want %d: %.300s", path, resp.StatusCode, status, body)
	}
	if resp.StatusCode/100 == 3 {
		return resp.Header.Get("Location")
	}
	return string(body)
}

// page fetches path, following redirects (each checked to stay under its
// prefix), and returns the final page's body.
func (c *crawler) page(path string, status int) string {
	c.t.Helper()
	for range 5 {
		resp, err := c.client.Get(c.base + path)
		if err != nil {
			c.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 3 {
			if resp.StatusCode != status {
				c.t.Fatalf("GET %s: %d, want %d", path, resp.StatusCode, status)
			}
			return string(body)
		}
		path = resp.Header.Get("Location")
		if !strings.HasPrefix(path, "/o/SY001/") && !strings.HasPrefix(path, "/g/") {
			c.t.Fatalf("redirect to %q leaves the prefix", path)
		}
	}
	c.t.Fatalf("too many redirects from %s", path)
	return ""
}

// follow reads path (a page answering 200, or 4xx for an error page) and
// checks its links.
func (c *crawler) follow(prefix, path string) {
	c.t.Helper()
	resp, err := c.client.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 || resp.StatusCode/100 == 3 {
		c.t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	c.seen[path] = true
	c.check(prefix, path, string(body))
}

// post submits form to path and returns the redirect's Location, which
// must stay under prefix.
func (c *crawler) post(prefix, path string, form url.Values) string {
	c.t.Helper()
	resp, err := c.client.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, prefix+"/") {
		c.t.Fatalf("POST %s: %d to %q, want 303 under %s: %.300s", path, resp.StatusCode, loc, prefix, body)
	}
	return loc
}

// crawl reads from start every page and asset under prefix it links to,
// up to max, and requires each to answer.
func (c *crawler) crawl(prefix, start string, max int) {
	c.t.Helper()
	queue := []string{start}
	for len(queue) > 0 && len(c.seen) < max {
		path := queue[0]
		queue = queue[1:]
		if c.seen[path] || strings.Contains(path, "/logout") {
			continue
		}
		c.seen[path] = true
		resp, err := c.client.Get(c.base + path)
		if err != nil {
			c.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode/100 == 3:
			queue = append(queue, resp.Header.Get("Location"))
			continue
		case resp.StatusCode != http.StatusOK:
			c.t.Errorf("GET %s: %d", path, resp.StatusCode)
			continue
		case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
			continue // an asset or an export: it answered
		}
		c.check(prefix, path, string(body))
		for _, l := range links(string(body), true) {
			if strings.HasPrefix(l, prefix+"/") {
				queue = append(queue, l)
			}
		}
	}
}

// cookiePaths requires every cookie set so far to live under prefix:
// the jar shows a cookie under the prefix and none at the root.
func (c *crawler) cookiePaths(prefix string) {
	c.t.Helper()
	root, _ := url.Parse(c.base + "/")
	under, _ := url.Parse(c.base + prefix + "k/")
	if got := c.client.Jar.Cookies(root); len(got) != 0 {
		c.t.Errorf("cookies set for the whole host: %v", got)
	}
	if len(c.client.Jar.Cookies(under)) == 0 {
		c.t.Errorf("no cookie under %s", prefix)
	}
}
