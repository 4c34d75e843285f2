package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/config"
)

// TestConsoleLoginRolesAndCSRF: pages need a login, the API a session or
// a token, managing accounts and tokens needs an admin, and every form
// post needs the session's CSRF token.
func TestConsoleLoginRolesAndCSRF(t *testing.T) {
	apptest.ForEachBranchBackend(t, testConsoleLoginRolesAndCSRF)
}

func testConsoleLoginRolesAndCSRF(t *testing.T, cfg config.Branch) {
	cr := craft(t, cfg)
	anon := apptest.NewClient(t, cr.b.HTTP, "10.1.0.9")
	if resp, _ := anon.Get("/console/overview"); resp.StatusCode != http.StatusSeeOther ||
		resp.Header.Get("Location") != "/console/login?next=%2Fconsole%2Foverview" {
		t.Fatalf("anonymous overview: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := anon.Get("/api/v1/overview"); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, `"unauthorized"`) {
		t.Fatalf("anonymous API: %d %s", resp.StatusCode, body)
	}
	_, form := anon.Get("/console/login")
	if resp, body := anon.PostForm("/console/login", url.Values{"_csrf": {apptest.CSRFToken(form)},
		"name": {"viewer1"}, "password": {"wrong-password"}}); resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "账号或密码不对") {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}

	viewer, vcsrf := cr.consoleClient(t, "viewer1", viewerPassword)
	if resp, _ := viewer.Get("/console/accounts"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("viewer opened accounts: %d", resp.StatusCode)
	}
	for _, path := range []string{"/console/accounts/users", "/console/accounts/tokens", "/console/accounts/tokens/1/revoke"} {
		resp, _ := viewer.PostForm(path, url.Values{"_csrf": {vcsrf}, "name": {"x-analyst"}, "role": {"admin"}, "password": {"longenough1"}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("viewer POST %s: %d", path, resp.StatusCode)
		}
	}
	if _, body := viewer.Get("/console/overview"); strings.Contains(body, `href="/console/accounts"`) {
		t.Fatal("a viewer's menu offers Accounts")
	}

	admin, acsrf := cr.consoleClient(t, "admin1", adminPassword)
	if resp, _ := admin.PostForm("/console/accounts/users", url.Values{"name": {"analyst"}, "role": {"viewer"},
		"password": {"analyst-pass"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a post without the CSRF token: %d", resp.StatusCode)
	}
	if resp, _ := admin.PostForm("/console/accounts/users", url.Values{"_csrf": {vcsrf}, "name": {"analyst"}, "role": {"viewer"},
		"password": {"analyst-pass"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a post with another session's token: %d", resp.StatusCode)
	}
	if resp, body := admin.PostForm("/console/accounts/users", url.Values{"_csrf": {acsrf}, "name": {"analyst"}, "role": {"viewer"},
		"password": {"analyst-pass"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin adds a viewer: %d %s", resp.StatusCode, body)
	}
	cr.consoleClient(t, "analyst", "analyst-pass")

	resp, body := admin.PostForm("/console/accounts/tokens", url.Values{"_csrf": {acsrf}, "name": {"数据平台"}})
	token := regexp.MustCompile(`id="new-token">(hbt_[^<]+)<`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusCreated || token == nil {
		t.Fatalf("create token: %d", resp.StatusCode)
	}
	bot := apptest.NewClient(t, cr.b.HTTP, "10.1.0.8")
	req := apptest.Request("GET", "/api/v1/assessment?month=2026-11", "", "")
	req.Header.Set("Authorization", "Bearer "+token[1])
	if resp, body := bot.Do(req); resp.StatusCode != http.StatusOK || !strings.Contains(body, `"flagged_outlets"`) {
		t.Fatalf("API with a token: %d %s", resp.StatusCode, body)
	}
	if resp, _ := bot.Get("/console/overview"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("a token is for the API, not the pages")
	}
	id := regexp.MustCompile(`/console/accounts/tokens/(\d+)/revoke`).FindStringSubmatch(body)
	if resp, _ := admin.PostForm("/console/accounts/tokens/"+id[1]+"/revoke", url.Values{"_csrf": {acsrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", resp.StatusCode)
	}
	req = apptest.Request("GET", "/api/v1/overview", "", "")
	req.Header.Set("Authorization", "Bearer "+token[1])
	if resp, _ := bot.Do(req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", resp.StatusCode)
	}
	if resp, _ := admin.PostForm("/console/logout", url.Values{"_csrf": {acsrf}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if resp, _ := admin.Get("/console/overview"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("still logged in after logout")
	}
}
