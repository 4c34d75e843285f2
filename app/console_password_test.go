package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"harbor/app/apptest"
	"harbor/models"
)

// TestChangeOwnPassword: in both consoles any logged-in account changes
// its own password. Wrong current passwords, mismatches and weak new
// passwords show the form again with the reason and change nothing; a
// change keeps this browser logged in with a new session id, logs the
// account out everywhere else, and only the new password works afterwards.
func TestChangeOwnPassword(t *testing.T) {
	o := newOutlet(t)
	o.AddStaff("clerk", models.RoleStaff, testPassword)
	t.Run("staff", func(t *testing.T) {
		checkPasswordChange(t, o.HTTP, "/staff", "/staff/today", "hs", "clerk", apptest.StaffLogin)
	})

	b := apptest.NewBranch(t, apptest.BranchConfig(t))
	b.AddUser("viewer1", models.RoleViewer, testPassword)
	t.Run("console", func(t *testing.T) {
		checkPasswordChange(t, b.HTTP, "/console", "/console/overview", "hb", "viewer1", apptest.ConsoleLogin)
	})
}

func checkPasswordChange(t *testing.T, app *fiber.App, base, home, cookie, name string,
	login func(testing.TB, *apptest.Client, string, string) string) {
	here := apptest.NewClient(t, app, "10.7.0.1")
	elsewhere := apptest.NewClient(t, app, "10.7.0.2")
	login(t, elsewhere, name, testPassword)
	login(t, here, name, testPassword)

	_, body := here.Get(home)
	if !strings.Contains(body, `href="`+base+`/password"`) {
		t.Fatalf("the console's header does not link to the password page")
	}
	resp, body := here.Get(base + "/password")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("password page: %d", resp.StatusCode)
	}
	csrf := apptest.CSRFToken(body)
	const next = "a new password 7"
	for _, bad := range []struct {
		form   url.Values
		status int
		reason string
	}{
		{url.Values{"current": {"wrong password"}, "new": {next}, "repeat": {next}}, http.StatusUnauthorized, "当前密码不对"},
		{url.Values{"current": {testPassword}, "new": {next}, "repeat": {next + "x"}}, http.StatusBadRequest, "两次输入的新密码不一致"},
		{url.Values{"current": {testPassword}, "new": {"short"}, "repeat": {"short"}}, http.StatusBadRequest, "8"},
		{url.Values{"current": {testPassword}, "new": {testPassword}, "repeat": {testPassword}}, http.StatusBadRequest, "不能与当前密码相同"},
	} {
		bad.form.Set("_csrf", csrf)
		resp, body = here.PostForm(base+"/password", bad.form)
		if resp.StatusCode != bad.status || !strings.Contains(body, bad.reason) || !strings.Contains(body, `name="current"`) {
			t.Fatalf("%v: want the form again with %d and %q, got %d", bad.form, bad.status, bad.reason, resp.StatusCode)
		}
	}
	if resp, _ = here.PostForm(base+"/password", url.Values{"current": {testPassword}, "new": {next}, "repeat": {next}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a change without the CSRF token: %d, want 403", resp.StatusCode)
	}

	before := here.Cookies[cookie]
	resp, _ = here.PostForm(base+"/password", url.Values{"_csrf": {csrf}, "current": {testPassword}, "new": {next}, "repeat": {next}})
	if resp.StatusCode != http.StatusSeeOther || here.Cookies[cookie] == before {
		t.Fatalf("change: %d, session id renewed %v", resp.StatusCode, here.Cookies[cookie] != before)
	}
	if resp, body = here.Get(resp.Header.Get("Location")); resp.StatusCode != http.StatusOK || !strings.Contains(body, "密码已修改") {
		t.Fatalf("after the change: %d, notice shown %v", resp.StatusCode, strings.Contains(body, "密码已修改"))
	}
	if resp, _ = elsewhere.Get(home); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other browser is still logged in: %d", resp.StatusCode)
	}
	fresh := apptest.NewClient(t, app, "10.7.0.3")
	_, body = fresh.Get(base + "/login")
	if resp, _ = fresh.PostForm(base+"/login", url.Values{"_csrf": {apptest.CSRFToken(body)}, "name": {name}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("login with the old password: %d, want 401", resp.StatusCode)
	}
	login(t, fresh, name, next)
}
