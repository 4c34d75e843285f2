package apptest

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// LoginPage is a console's login form as one browser holds it over a real
// connection: the cookies and CSRF token of one GET. Post may be called
// from many goroutines, as parallel submissions of that form.
type LoginPage struct {
	URL     string // e.g. http://127.0.0.1:4711/staff/login
	Cookies []*http.Cookie
	CSRF    string
}

// OpenLogin fetches the login form of console (/staff or /console) from
// the server at base, as a browser at ip (sent as X-Forwarded-For).
func OpenLogin(tb testing.TB, base, console, ip string) LoginPage {
	tb.Helper()
	req, _ := http.NewRequest("GET", base+console+"/login", nil)
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := LoginPage{URL: base + console + "/login", Cookies: resp.Cookies(), CSRF: CSRFToken(string(body))}
	if resp.StatusCode != http.StatusOK || p.CSRF == "" {
		tb.Fatalf("login form: %d without a CSRF token", resp.StatusCode)
	}
	return p
}

// Post submits the form as a browser at ip and returns the status: 303
// logged in, 401 wrong, 429 throttled.
func (p LoginPage) Post(tb testing.TB, ip, name, password string) int {
	form := url.Values{"_csrf": {p.CSRF}, "name": {name}, "password": {password}}
	req, _ := http.NewRequest("POST", p.URL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	for _, c := range p.Cookies {
		req.AddCookie(c)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		tb.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
