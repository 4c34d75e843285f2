package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"harbor/app/apptest"
	"harbor/app/auth"
	"harbor/models"
)

// console is one role's login form under test: where it is served, its
// path, an account and its password, and the clock the throttle reads.
type console struct {
	base, path, name, password string
	clock                      *apptest.Clock
}

// bothConsoles runs test against the outlet's staff console and the
// branch console, each served on a real listener.
func bothConsoles(t *testing.T, test func(*testing.T, console)) {
	t.Run("staff", func(t *testing.T) {
		o := staffOutlet(t)
		test(t, console{apptest.ServeHTTP(t, o.HTTP), "/staff", "mgr", testPassword, o.Clock})
	})
	t.Run("branch", func(t *testing.T) {
		cfg := apptest.BranchConfig(t)
		cfg.ProxyHeader = "X-Forwarded-For"
		b := apptest.NewBranch(t, cfg)
		b.AddUser("admin1", models.RoleAdmin, adminPassword)
		test(t, console{apptest.ServeHTTP(t, b.HTTP), "/console", "admin1", adminPassword, b.Clock})
	})
}

// parallelLogins submits the form once per password, all at once, from
// ip, and counts the answers by status.
func parallelLogins(t *testing.T, page apptest.LoginPage, ip, name string, passwords []string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	counts := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, pw := range passwords {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status := page.Post(t, ip, name, pw)
			mu.Lock()
			counts[status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return counts
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%d", s, i)
	}
	return out
}

// TestParallelLoginsCountEachAttempt (issue 10, item 2): 24 wrong passwords
// sent at once cost 24 attempts: 5 are checked, 19 refused with 429, and
// the right password after them is refused too. Sent together with the
// 24, the right one is only one of the 5 that reach the password check.
func TestParallelLoginsCountEachAttempt(t *testing.T) {
	bothConsoles(t, func(t *testing.T, c console) {
		page := apptest.OpenLogin(t, c.base, c.path, "10.7.0.1")
		got := parallelLogins(t, page, "10.7.0.1", c.name, repeat("wrong", 24))
		if got[http.StatusUnauthorized] != auth.MaxFailures || got[http.StatusTooManyRequests] != 24-auth.MaxFailures {
			t.Fatalf("24 parallel wrong passwords: %v, want %d × 401 and %d × 429", got, auth.MaxFailures, 24-auth.MaxFailures)
		}
		if status := page.Post(t, "10.7.0.1", c.name, c.password); status != http.StatusTooManyRequests {
			t.Fatalf("the right password after them: %d, want 429", status)
		}

		page = apptest.OpenLogin(t, c.base, c.path, "10.7.0.2")
		got = parallelLogins(t, page, "10.7.0.2", c.name, append(repeat("wrong", 24), c.password))
		if checked := got[http.StatusUnauthorized] + got[http.StatusSeeOther]; checked != auth.MaxFailures ||
			got[http.StatusTooManyRequests] != 25-auth.MaxFailures {
			t.Fatalf("24 wrong and the right one at once: %v, want %d checked", got, auth.MaxFailures)
		}
	})
}

// TestTargetedLockout (item 3): five wrong passwords a minute for a known
// account from one address lock that address out of that account only;
// the right password from another address still logs in (an account under
// attack only slows down), and so does the attacker's address for another
// account. Twenty failures from one address lock the address out.
func TestTargetedLockout(t *testing.T) {
	bothConsoles(t, func(t *testing.T, c console) {
		for minute := range 2 {
			attacker := apptest.OpenLogin(t, c.base, c.path, "10.8.0.1")
			for range auth.MaxFailures {
				if status := attacker.Post(t, "10.8.0.1", c.name, "guess"); status != http.StatusUnauthorized {
					t.Fatalf("minute %d: a wrong password: %d", minute, status)
				}
			}
			if status := attacker.Post(t, "10.8.0.1", c.name, c.password); status != http.StatusTooManyRequests {
				t.Fatalf("minute %d: the attacker's address, sixth attempt: %d, want 429", minute, status)
			}
			owner := apptest.OpenLogin(t, c.base, c.path, fmt.Sprintf("10.8.1.%d", minute))
			if status := owner.Post(t, fmt.Sprintf("10.8.1.%d", minute), c.name, c.password); status != http.StatusSeeOther {
				t.Fatalf("minute %d: the right password from another address: %d, want 303", minute, status)
			}
			c.clock.Advance(time.Minute)
		}
		attacker := apptest.OpenLogin(t, c.base, c.path, "10.8.0.2")
		for i := range auth.MaxAddressFailures {
			if status := attacker.Post(t, "10.8.0.2", fmt.Sprintf("name%d", i/4), "guess"); status != http.StatusUnauthorized {
				t.Fatalf("failure %d from one address: %d", i+1, status)
			}
		}
		if status := attacker.Post(t, "10.8.0.2", c.name, c.password); status != http.StatusTooManyRequests {
			t.Fatalf("after %d failures the address is locked out: %d", auth.MaxAddressFailures, status)
		}
	})
}

// TestCheckInsDoNotLockStaffOut (item 4): the outlet's NAT address used up
// its check-in budget; the manager behind it still logs in.
func TestCheckInsDoNotLockStaffOut(t *testing.T) {
	o := staffOutlet(t)
	base := apptest.ServeHTTP(t, o.HTTP)
	nat := "10.9.0.1"
	var last int
	for range o.Cfg.RatePerMin + 1 {
		req := bombOf(t, base, "/api/v1/checkins", "application/json",
			[]byte(`{"token":"`+o.Svc.PosterToken("")+`","amenities":["water"]}`))
		req.Header.Set("X-Forwarded-For", nat)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Fatalf("check-in %d from one address: %d, want 429", o.Cfg.RatePerMin+1, last)
	}
	page := apptest.OpenLogin(t, base, "/staff", nat)
	if status := page.Post(t, nat, "mgr", testPassword); status != http.StatusSeeOther {
		t.Fatalf("the manager behind the same address: %d, want 303", status)
	}
}

// TestLoginPagesStoreNothing (item 6): 1,000 anonymous GETs of each
// console's login page write no session; the form's stateless token works
// for its own browser only and for LoginFormAge, and logging in makes the
// one session.
func TestLoginPagesStoreNothing(t *testing.T) {
	o := staffOutlet(t)
	b := apptest.NewBranch(t, apptest.BranchConfig(t))
	b.AddUser("admin1", models.RoleAdmin, adminPassword)
	for _, c := range []struct {
		app   *apptest.Client
		path  string
		table string
		db    *gorm.DB
		clock *apptest.Clock
		name  string
		pw    string
	}{
		{apptest.NewClient(t, o.HTTP, "10.6.0.1"), "/staff", "staff_sessions", o.Svc.DB().Read, o.Clock, "mgr", testPassword},
		{apptest.NewClient(t, b.HTTP, "10.6.0.1"), "/console", "branch_sessions", b.Svc.DB().Read, b.Clock, "admin1", adminPassword},
	} {
		rows := func() (n int) {
			t.Helper()
			if err := c.db.Raw("SELECT COUNT(*) FROM " + c.table).Scan(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i := range 1000 {
			anon := apptest.NewClient(t, c.app.App, fmt.Sprintf("10.6.%d.%d", i/250, i%250))
			if resp, _ := anon.Get(c.path + "/login"); resp.StatusCode != http.StatusOK {
				t.Fatalf("%s/login: %d", c.path, resp.StatusCode)
			}
		}
		if n := rows(); n != 0 {
			t.Fatalf("1,000 GETs of %s/login stored %d sessions", c.path, n)
		}
		_, mine := c.app.Get(c.path + "/login")
		other := apptest.NewClient(t, c.app.App, "10.6.9.9")
		other.Get(c.path + "/login") // a login cookie of its own
		form := url.Values{"_csrf": {apptest.CSRFToken(mine)}, "name": {c.name}, "password": {c.pw}}
		if resp, _ := other.PostForm(c.path+"/login", form); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s: another browser's login token: %d, want 403", c.path, resp.StatusCode)
		}
		c.clock.Advance(auth.LoginFormAge + time.Minute)
		if resp, _ := c.app.PostForm(c.path+"/login", form); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("%s: a login form older than %s: %d, want 403", c.path, auth.LoginFormAge, resp.StatusCode)
		}
		_, fresh := c.app.Get(c.path + "/login")
		form.Set("_csrf", apptest.CSRFToken(fresh))
		if resp, body := c.app.PostForm(c.path+"/login", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: login: %d %.200s", c.path, resp.StatusCode, body)
		}
		if n := rows(); n != 1 {
			t.Fatalf("%s: a login made %d sessions, want 1", c.path, n)
		}
		for range auth.MaxSessionsPerUser { // from other browsers
			browser := apptest.NewClient(t, c.app.App, "10.6.9.8")
			_, page := browser.Get(c.path + "/login")
			form.Set("_csrf", apptest.CSRFToken(page))
			browser.PostForm(c.path+"/login", form)
		}
		if n := rows(); n != auth.MaxSessionsPerUser {
			t.Fatalf("%s: %d logins of one account left %d sessions, want %d", c.path, auth.MaxSessionsPerUser+1, n, auth.MaxSessionsPerUser)
		}
	}
}

// TestLoginFormsOutliveARestart: a login form opened before the server
// restarted (an upgrade) still logs in after it, and one opened on one
// branch server logs in on another of the same branch; a token of another
// outlet's form does not.
func TestLoginFormsOutliveARestart(t *testing.T) {
	cfg := apptest.OutletConfig(t)
	cfg.ProxyHeader = "X-Forwarded-For"
	o := apptest.NewOutlet(t, cfg)
	o.AddStaff("mgr", models.RoleManager, testPassword)
	form := apptest.OpenLogin(t, apptest.ServeHTTP(t, o.HTTP), "/staff", "10.1.0.1")
	other := apptest.NewOutlet(t, apptest.OutletConfig(t))
	forged := apptest.OpenLogin(t, apptest.ServeHTTP(t, other.HTTP), "/staff", "10.1.0.1")
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	restarted := apptest.ServeHTTP(t, apptest.NewOutlet(t, cfg).HTTP)
	forged.URL = restarted + "/staff/login"
	if status := forged.Post(t, "10.1.0.1", "mgr", testPassword); status != http.StatusForbidden {
		t.Fatalf("another outlet's login form: %d, want 403", status)
	}
	form.URL = restarted + "/staff/login"
	if status := form.Post(t, "10.1.0.1", "mgr", testPassword); status != http.StatusSeeOther {
		t.Fatalf("a login form opened before the restart: %d, want 303", status)
	}

	bcfg := apptest.BranchConfig(t)
	bcfg.ProxyHeader = "X-Forwarded-For"
	one := apptest.NewBranch(t, bcfg)
	one.AddUser("admin1", models.RoleAdmin, adminPassword)
	two := apptest.NewBranch(t, bcfg) // a second server of the branch, on the same database and key file
	bform := apptest.OpenLogin(t, apptest.ServeHTTP(t, one.HTTP), "/console", "10.1.0.2")
	bform.URL = apptest.ServeHTTP(t, two.HTTP) + "/console/login"
	if status := bform.Post(t, "10.1.0.2", "admin1", adminPassword); status != http.StatusSeeOther {
		t.Fatalf("a login form of one branch server posted to another: %d, want 303", status)
	}
}
