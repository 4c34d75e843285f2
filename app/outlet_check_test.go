package app_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/models"
)

// checkLines runs the self-check of o as the CLI and the page do and
// returns its lines by name.
func checkLines(t *testing.T, o *apptest.Outlet) map[string]outlet.CheckLine {
	t.Helper()
	lines := outlet.CheckDataFolder(o.Cfg.DataDir)
	lines = append(lines, o.Svc.SelfCheck(context.Background(), &http.Client{Timeout: 5 * time.Second})...)
	byName := map[string]outlet.CheckLine{}
	for _, l := range lines {
		byName[l.Name] = l
	}
	if len(byName) != 9 {
		t.Fatalf("%d distinct lines, want 9: %+v", len(byName), lines)
	}
	return byName
}

func wantLine(t *testing.T, l outlet.CheckLine, status string, found ...string) {
	t.Helper()
	if l.Status != status {
		t.Errorf("%s: %s (%s), want %s", l.Name, l.Status, l.Found, status)
	}
	for _, f := range found {
		if !strings.Contains(l.Found, f) {
			t.Errorf("%s: found %q, want it to say %q", l.Name, l.Found, f)
		}
	}
	if status == outlet.CheckFail && l.Fix == "" {
		t.Errorf("%s failed without saying what to do", l.Name)
	}
}

// enrolledOutlet is an outlet on clock enrolled with a branch on the real
// clock, served on loopback: the branch's answers carry the real time in
// their Date header.
func enrolledOutlet(t *testing.T, clock *apptest.Clock) (*apptest.Outlet, string) {
	t.Helper()
	b := apptest.NewBranchAt(t, apptest.BranchConfig(t), apptest.RealClock())
	branchURL := apptest.ServeHTTP(t, b.HTTP)
	o := apptest.NewOutletAt(t, apptest.OutletConfig(t), clock)
	ec, err := b.Svc.AddOutlet(context.Background(), "SY001", "十堰营业部", "城区", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.Svc.Enroll(context.Background(), branchURL, ec.Code, http.DefaultClient); err != nil {
		t.Fatal(err)
	}
	return o, branchURL
}

// TestSelfCheckClock: an outlet clock 5 minutes ahead of the branch's (the
// branch's time from its answer's Date header) fails the clock line, and
// every staff page then warns; a clock in step passes.
func TestSelfCheckClock(t *testing.T) {
	o, _ := enrolledOutlet(t, apptest.NewClock(time.Now().Add(5*time.Minute+30*time.Second)))
	lines := checkLines(t, o)
	wantLine(t, lines["branch"], outlet.CheckOK, "SY001")
	wantLine(t, lines["clock"], outlet.CheckFail, "本机比分行快 5 分", "ahead of the branch")

	o.AddStaff("wang", "staff", "correct horse")
	c := apptest.NewClient(t, o.HTTP, "10.0.0.7")
	apptest.StaffLogin(t, c, "wang", "correct horse")
	for _, page := range []string{"/staff/today", "/staff/feedback"} {
		if _, body := c.Get(page); !strings.Contains(body, `class="alert"`) || !strings.Contains(body, "本机时钟与分行相差 5 分") {
			t.Errorf("%s shows no clock warning:\n%s", page, body)
		}
	}

	ok, _ := enrolledOutlet(t, apptest.RealClock())
	wantLine(t, checkLines(t, ok)["clock"], outlet.CheckOK, "与分行相差")
}

// TestSelfCheckUnreachableBranch: when the branch does not answer, the
// branch line fails; once a push has failed the reports line fails too and
// every staff page warns; the clock line falls back to the last reading.
func TestSelfCheckUnreachableBranch(t *testing.T) {
	o, branchURL := enrolledOutlet(t, apptest.RealClock())
	checkLines(t, o) // takes a clock reading from the branch
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	pointLinkAt(t, o.Cfg.DataDir, closed)

	lines := checkLines(t, o)
	wantLine(t, lines["branch"], outlet.CheckFail, "连不上分行", closed)
	wantLine(t, lines["clock"], outlet.CheckOK, "as seen then")
	wantLine(t, lines["reports"], outlet.CheckOK, "0 pending")

	today, _ := models.LocalDay(time.Now(), apptest.Shanghai)
	if _, err := o.Svc.Snapshot(context.Background(), today); err != nil {
		t.Fatal(err)
	}
	if sent, err := o.Reporter.DeliverNow(context.Background()); err != nil || len(sent) != 1 || sent[0].Error == "" {
		t.Fatalf("delivery to a closed port: %+v, %v", sent, err)
	}
	wantLine(t, checkLines(t, o)["reports"], outlet.CheckFail, "1 pending", "cannot reach the branch")
	o.AddStaff("wang", "manager", "correct horse")
	c := apptest.NewClient(t, o.HTTP, "10.0.0.7")
	apptest.StaffLogin(t, c, "wang", "correct horse")
	if _, body := c.Get("/staff/history"); !strings.Contains(body, "向分行上报失败，1 份报告待上报") {
		t.Error("the history page shows no warning about failing reports")
	}

	pointLinkAt(t, o.Cfg.DataDir, branchURL)
	if _, err := o.Reporter.DeliverNow(context.Background()); err != nil {
		t.Fatal(err)
	}
	lines = checkLines(t, o)
	wantLine(t, lines["branch"], outlet.CheckOK)
	wantLine(t, lines["reports"], outlet.CheckOK, "0 pending")
	if _, body := c.Get("/staff/history"); strings.Contains(body, `class="alert"`) {
		t.Error("the warning stays after the reports went through")
	}
}

// TestSelfCheckPosters: no print recorded fails; opening the printable
// poster records the current version; replacing the posters afterwards
// makes the printed ones stale.
func TestSelfCheckPosters(t *testing.T) {
	o := apptest.NewOutlet(t, apptest.OutletConfig(t))
	wantLine(t, checkLines(t, o)["posters"], outlet.CheckFail, "no printed posters")
	o.AddStaff("wang", "manager", "correct horse")
	c := apptest.NewClient(t, o.HTTP, "10.0.0.7")
	apptest.StaffLogin(t, c, "wang", "correct horse")
	if resp, _ := c.Get("/staff/posters/stickers"); resp.StatusCode != http.StatusOK {
		t.Fatalf("stickers: %d", resp.StatusCode)
	}
	wantLine(t, checkLines(t, o)["posters"], outlet.CheckOK, "version 1, printed 2026-11-25")
	if _, err := o.Svc.ReplacePosters(context.Background()); err != nil {
		t.Fatal(err)
	}
	wantLine(t, checkLines(t, o)["posters"], outlet.CheckFail, "printed version 1, current 2")
	c.Get("/staff/posters/station")
	wantLine(t, checkLines(t, o)["posters"], outlet.CheckOK, "version 2")
}

// TestSelfCheckPage: managers see the self-check on /staff/check, one row
// a line; staff may not open it.
func TestSelfCheckPage(t *testing.T) {
	o := apptest.NewOutlet(t, apptest.OutletConfig(t))
	o.AddStaff("wang", "manager", "correct horse")
	o.AddStaff("li", "staff", "correct horse")
	m := apptest.NewClient(t, o.HTTP, "10.0.0.7")
	apptest.StaffLogin(t, m, "wang", "correct horse")
	resp, body := m.Get("/staff/check")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("manager: %d", resp.StatusCode)
	}
	for _, want := range []string{`<tr class="ok" id="check-data_folder">`, `<tr class="ok" id="check-database">`,
		`<tr class="fail" id="check-branch">`, "未接入分行 not enrolled", `<tr class="skip" id="check-reports">`,
		`<h2>自检 Self-check</h2>`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if _, body := m.Get("/staff/today"); !strings.Contains(body, `<a href="/staff/check">`) {
		t.Error("a manager's Today page has no link to the self-check")
	}
	s := apptest.NewClient(t, o.HTTP, "10.0.0.8")
	apptest.StaffLogin(t, s, "li", "correct horse")
	if resp, _ := s.Get("/staff/check"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("staff: %d, want 403", resp.StatusCode)
	}
	if _, body := s.Get("/staff/today"); strings.Contains(body, `href="/staff/check"`) {
		t.Error("staff see a link to a page they may not open")
	}
}
