package apptest

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// AddStaff creates a staff console account on the outlet under test.
func (o *Outlet) AddStaff(name, role, password string) {
	o.tb.Helper()
	if _, err := o.Auth.AddUser(context.Background(), name, role, password); err != nil {
		o.tb.Fatalf("add staff %s: %v", name, err)
	}
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]*)">`)

// CSRFToken returns the token a console page carries in its
// <meta name="csrf-token">, or "".
func CSRFToken(body string) string {
	if m := csrfMeta.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

// StaffLogin logs c in through the console's login form and returns the
// CSRF token of the new session.
func StaffLogin(tb testing.TB, c *Client, name, password string) string {
	tb.Helper()
	return formLogin(tb, c, "/staff", "/staff/today", name, password)
}

// formLogin logs c in through the login form under console (/staff or
// /console), checks that home then answers 200, and returns the CSRF token
// of the new session.
func formLogin(tb testing.TB, c *Client, console, home, name, password string) string {
	tb.Helper()
	_, body := c.Get(console + "/login")
	resp, body := c.PostForm(console+"/login", url.Values{"_csrf": {CSRFToken(body)}, "name": {name}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("login %s at %s: want 303, got %d %s", name, console, resp.StatusCode, body)
	}
	resp, body = c.Get(home)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("after login: %s %d %s", home, resp.StatusCode, body)
	}
	return CSRFToken(body)
}
