package apptest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// Client sends requests through a Fiber app like one browser would: it
// keeps cookies, and claims a client IP via X-Forwarded-For (configure the
// app with ProxyHeader "X-Forwarded-For" for that to count).
type Client struct {
	App     *fiber.App
	IP      string
	Cookies map[string]string
	tb      testing.TB
}

// NewClient returns a client with an empty cookie jar.
func NewClient(tb testing.TB, app *fiber.App, ip string) *Client {
	return &Client{App: app, IP: ip, Cookies: map[string]string{}, tb: tb}
}

// Do sends req with the jar's cookies, stores the cookies set by the
// answer, and returns the response with its body.
func (c *Client) Do(req *http.Request) (*http.Response, string) {
	c.tb.Helper()
	for k, v := range c.Cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	if c.IP != "" {
		req.Header.Set("X-Forwarded-For", c.IP)
	}
	resp, err := c.App.Test(req, -1)
	if err != nil {
		c.tb.Fatal(err)
	}
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.Cookies, ck.Name)
		} else {
			c.Cookies[ck.Name] = ck.Value
		}
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(body)
}

// Get fetches target.
func (c *Client) Get(target string) (*http.Response, string) {
	c.tb.Helper()
	return c.Do(httptest.NewRequest(http.MethodGet, target, nil))
}

// PostForm posts form as application/x-www-form-urlencoded.
func (c *Client) PostForm(target string, form url.Values) (*http.Response, string) {
	c.tb.Helper()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// PostJSON posts v marshalled as JSON.
func (c *Client) PostJSON(target string, v any) (*http.Response, string) {
	c.tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		c.tb.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(string(b)))
	req.Header.Set("Content-Type", "application/json")
	return c.Do(req)
}

// For returns the client reporting failures to tb (a subtest), sharing the
// cookie jar.
func (c *Client) For(tb testing.TB) *Client {
	cc := *c
	cc.tb = tb
	return &cc
}
