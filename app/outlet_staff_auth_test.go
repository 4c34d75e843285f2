package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/models"
)

const testPassword = "correct horse 42"

// staffOutlet is an outlet with a manager "mgr" and a staff account "clerk".
func staffOutlet(t *testing.T) *apptest.Outlet {
	t.Helper()
	o := newOutlet(t)
	o.AddStaff("mgr", models.RoleManager, testPassword)
	o.AddStaff("clerk", models.RoleStaff, testPassword)
	return o
}

func loginForm(t *testing.T, c *apptest.Client, name, password string) (*http.Response, string) {
	t.Helper()
	_, body := c.Get("/staff/login")
	return c.PostForm("/staff/login", url.Values{"_csrf": {apptest.CSRFToken(body)}, "name": {name}, "password": {password}})
}

func TestStaffLoginAndLogout(t *testing.T) {
	o := staffOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.2.0.1")

	resp, _ := c.Get("/staff/today")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/staff/login?") {
		t.Fatalf("logged out: want a redirect to the login page, got %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := c.Get("/staff/login")
	if c.Cookies["hs"] != "" {
		t.Fatal("the login page must not start a session")
	}
	resp, body = c.PostForm("/staff/login", url.Values{"_csrf": {apptest.CSRFToken(body)}, "name": {"mgr"}, "password": {testPassword},
		"next": {"/staff/history"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/history" {
		t.Fatalf("login: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if c.Cookies["hs"] == "" {
		t.Fatal("login must give the browser a session id")
	}
	cookie := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Lax", "path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, "secure") {
		t.Errorf("plain HTTP without a proxy saying https: cookie must not be Secure: %q", cookie)
	}
	resp, body = c.Get("/staff/today")
	if resp.StatusCode != 200 || !strings.Contains(body, "mgr") {
		t.Fatalf("today after login: %d", resp.StatusCode)
	}
	resp, _ = c.PostForm("/staff/logout", url.Values{"_csrf": {apptest.CSRFToken(body)}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if resp, _ := c.Get("/staff/today"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout today should redirect to login, got %d", resp.StatusCode)
	}
}

func TestStaffCookieSecureBehindTLSProxy(t *testing.T) {
	o := staffOutlet(t) // configured with ProxyHeader X-Forwarded-For
	req := apptest.Request("GET", "/staff/login", "", "")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, _ := o.Do(req)
	if c := resp.Header.Get("Set-Cookie"); !strings.Contains(c, "secure") {
		t.Fatalf("behind a TLS proxy the session cookie must be Secure: %q", c)
	}
}

func TestStaffLoginFailure(t *testing.T) {
	o := staffOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.2.0.2")
	for _, tc := range []struct{ name, password string }{{"mgr", "wrong password"}, {"nobody", testPassword}} {
		resp, body := loginForm(t, c, tc.name, tc.password)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "账号或密码不对") {
			t.Fatalf("%s: want 401 with a message, got %d", tc.name, resp.StatusCode)
		}
	}
	o.Auth.SetDisabled(t.Context(), "clerk", true)
	if resp, _ := loginForm(t, c, "clerk", testPassword); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("disabled account logged in: %d", resp.StatusCode)
	}
}

func TestStaffLoginThrottle(t *testing.T) {
	o := staffOutlet(t)
	attacker := apptest.NewClient(t, o.HTTP, "10.2.0.3")
	for i := range 5 {
		if resp, _ := loginForm(t, attacker, "mgr", "guess"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, resp.StatusCode)
		}
	}
	// The attacker's address is throttled for that account, even with the right password.
	resp, body := loginForm(t, attacker, "mgr", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
		t.Fatalf("want 429 with Retry-After 60, got %d %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(body, "10:01:00") || !strings.Contains(body, "60 秒") {
		t.Fatalf("the message should say when to retry: %s", body)
	}
	// The account itself is not locked: the manager logs in from elsewhere
	// (after a slowdown), and the attacker's address into another account.
	elsewhere := apptest.NewClient(t, o.HTTP, "10.2.0.4")
	if resp, _ := loginForm(t, elsewhere, "mgr", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password from another address: %d", resp.StatusCode)
	}
	if resp, _ := loginForm(t, attacker, "clerk", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account from the attacker's address: %d", resp.StatusCode)
	}
	o.Clock.Advance(61 * time.Second)
	again := apptest.NewClient(t, o.HTTP, "10.2.0.3")
	if resp, _ := loginForm(t, again, "mgr", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after a minute the address may try again: %d", resp.StatusCode)
	}
}

func TestStaffSessionIdleExpiry(t *testing.T) {
	o := staffOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.2.0.5")
	apptest.StaffLogin(t, c, "clerk", testPassword)

	o.Clock.Advance(29 * time.Minute)
	if resp, _ := c.Get("/staff/history"); resp.StatusCode != 200 {
		t.Fatalf("29 minutes idle: %d", resp.StatusCode)
	}
	o.Clock.Advance(29 * time.Minute) // used 29 minutes ago: still alive
	if resp, _ := c.Get("/staff/today?auto=1"); resp.StatusCode != 200 {
		t.Fatalf("second 29 minutes: %d", resp.StatusCode)
	}
	// The self-refresh did not count as use: two more minutes and it is over.
	o.Clock.Advance(2 * time.Minute)
	resp, _ := c.Get("/staff/today?auto=1")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(loc, "expired=1") {
		t.Fatalf("after 31 idle minutes: want redirect to login with expired=1, got %d %q", resp.StatusCode, loc)
	}
	if _, body := c.Get(loc); !strings.Contains(body, "登录已超时") {
		t.Fatal("the login page should say the session expired")
	}
}

func TestStaffCSRF(t *testing.T) {
	o := staffOutlet(t)
	c := apptest.NewClient(t, o.HTTP, "10.2.0.6")
	token := apptest.StaffLogin(t, c, "clerk", testPassword)
	form := url.Values{"theme": {"反诈宣传"}, "venue": {"community"}, "participants": {"10"}, "day": {"2026-11-25"}}

	for name, tok := range map[string]string{"missing": "", "wrong": "x" + token[1:]} {
		f := url.Values{"_csrf": {tok}}
		for k, v := range form {
			f[k] = v
		}
		resp, body := c.PostForm("/staff/activities", f)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "刷新页面") {
			t.Fatalf("%s CSRF token: want 403, got %d", name, resp.StatusCode)
		}
	}
	// A login form posted from another site has no session token either.
	other := apptest.NewClient(t, o.HTTP, "10.2.0.7")
	resp, _ := other.PostForm("/staff/login", url.Values{"name": {"mgr"}, "password": {testPassword}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without the form's token: %d", resp.StatusCode)
	}
	// The header works for scripts.
	req := apptest.Request("POST", "/staff/activities", "application/x-www-form-urlencoded", form.Encode())
	req.Header.Set("X-CSRF-Token", token)
	if resp, body := c.Do(req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("with the header: %d %s", resp.StatusCode, body)
	}
	if n := countRows(t, o, "activities"); n != 1 {
		t.Fatalf("activities stored: %d, want 1", n)
	}
}

func TestStaffRoles(t *testing.T) {
	o := staffOutlet(t)
	clerk := apptest.NewClient(t, o.HTTP, "10.2.0.8")
	token := apptest.StaffLogin(t, clerk, "clerk", testPassword)
	for _, path := range []string{"/staff/amenities", "/staff/posters", "/staff/posters/stickers", "/staff/accounts"} {
		if resp, _ := clerk.Get(path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("staff GET %s: %d, want 403", path, resp.StatusCode)
		}
	}
	posts := map[string]url.Values{
		"/staff/amenities/water/enabled": {"on": {"0"}},
		"/staff/amenities/water/move":    {"dir": {"down"}},
		"/staff/amenities":               {"code": {"shoe_polish"}, "zh": {"擦鞋"}, "en": {"Shoe polish"}, "group": {"tools"}, "icon": {"toolbox"}},
		"/staff/posters/replace":         {"confirm": {"yes"}},
		"/staff/accounts/users":          {"name": {"eve"}, "role": {"manager"}, "password": {testPassword}},
		"/staff/accounts/tokens":         {"name": {"leak"}},
	}
	for path, form := range posts {
		form.Set("_csrf", token)
		if resp, _ := clerk.PostForm(path, form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("staff POST %s: %d, want 403", path, resp.StatusCode)
		}
	}
	if _, ok := o.Svc.EnabledAmenity("water"); !ok || o.Svc.Profile().PosterVersion != 1 {
		t.Fatal("a staff account changed amenities or posters")
	}
	if _, err := o.Auth.UserByName(t.Context(), "eve"); err == nil {
		t.Fatal("a staff account created a user")
	}
	// Daily work is open to staff.
	for _, path := range []string{"/staff/today", "/staff/history", "/staff/assisted", "/staff/feedback", "/staff/activities"} {
		if resp, _ := clerk.Get(path); resp.StatusCode != 200 {
			t.Errorf("staff GET %s: %d", path, resp.StatusCode)
		}
	}
}
