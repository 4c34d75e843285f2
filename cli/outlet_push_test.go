package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"harbor/app/apptest"
	"harbor/app/outlet"
	"harbor/config"
)

// pushWorld is a branch on loopback on the real clock and an outlet data
// folder the commands work on.
type pushWorld struct {
	t      *testing.T
	branch *apptest.Branch
	url    string
	cfg    config.Outlet
}

func newPushWorld(t *testing.T) *pushWorld {
	b := apptest.NewBranchAt(t, apptest.BranchConfig(t), apptest.RealClock())
	return &pushWorld{t: t, branch: b, url: apptest.ServeHTTP(t, b.HTTP), cfg: apptest.OutletConfig(t)}
}

// serve runs the outlet server on the data folder, records n check-ins
// through its API, lets its reporter make the day's report and stops it.
func (w *pushWorld) serve(n int) {
	w.t.Helper()
	o := apptest.NewOutletAt(w.t, w.cfg, apptest.RealClock())
	for i := 0; i < n; i++ {
		c := apptest.NewClient(w.t, o.HTTP, "")
		c.Cookies["hv"] = outlet.NewVisitorID() // a phone that kept the station page's cookie
		resp, body := c.PostJSON("/api/v1/checkins", map[string]any{"token": o.Svc.PosterToken(""), "amenities": []string{"water"}})
		if resp.StatusCode != 201 {
			w.t.Fatalf("check-in: %d %s", resp.StatusCode, body)
		}
	}
	if err := o.Reporter.Cycle(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		w.t.Fatal(err)
	}
}

// enroll registers code at the branch and runs 'harbor outlet enroll'.
func (w *pushWorld) enroll(code string) string {
	w.t.Helper()
	ec, err := w.branch.Svc.AddOutlet(context.Background(), code, "网点 "+code, "test", 0)
	if err != nil {
		w.t.Fatal(err)
	}
	rc, out, errOut := w.run("outlet", "enroll", "--branch", w.url, "--code", ec.Code)
	if rc != 0 {
		w.t.Fatalf("enroll: %d %s %s", rc, out, errOut)
	}
	return out
}

func (w *pushWorld) run(args ...string) (int, string, string) {
	w.t.Helper()
	return harbor(w.t, append(args, "--data-dir", w.cfg.DataDir)...)
}

// branchCheckIns is what the branch holds for outlet, as "day:check-ins".
func (w *pushWorld) branchCheckIns(outlet string) string {
	var rows []struct {
		Day      string
		Checkins int
	}
	w.branch.Svc.DB().Read.Raw(`SELECT day, checkins FROM reports WHERE outlet = ? ORDER BY day`, outlet).Scan(&rows)
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s:%d", r.Day, r.Checkins))
	}
	return strings.Join(out, " ")
}

// TestPushAfterEnrollingUnderANewCode is issue 11's item 5 as a worker of
// the command line meets it: serve as DEMO01, check in, stop, enroll as
// SY004, push. The day is sent again under SY004 and the push succeeds.
func TestPushAfterEnrollingUnderANewCode(t *testing.T) {
	w := newPushWorld(t)
	w.serve(1) // its report, for DEMO01, waits in the outbox
	if out := w.enroll("SY004"); !strings.Contains(out, "changed from DEMO01 to SY004") {
		t.Fatalf("enroll should say the code changed: %s", out)
	}
	rc, out, errOut := w.run("outlet", "push")
	if rc != 0 || !strings.Contains(out, "reissued (report of") || !strings.Contains(out, "old outlet code DEMO01") ||
		!strings.Contains(out, ": accepted") || !strings.Contains(out, "0 still pending") {
		t.Fatalf("push: %d\n%s\n%s", rc, out, errOut)
	}
	if got := w.branchCheckIns("SY004"); !strings.HasSuffix(got, ":1") {
		t.Fatalf("the branch holds %q for SY004", got)
	}
}

// TestPushAfterARestore is issue 11's item 1 on the command line: push,
// back up, push more, restore, check in, push. The push says what
// happened, exits 0, and the branch holds the outlet's figures.
func TestPushAfterARestore(t *testing.T) {
	w := newPushWorld(t)
	w.serve(2)
	w.enroll("SY001")
	if rc, out, errOut := w.run("outlet", "push"); rc != 0 {
		t.Fatalf("push: %d %s %s", rc, out, errOut)
	}
	backup := filepath.Join(t.TempDir(), "outlet.db")
	if rc, out, errOut := w.run("outlet", "backup", backup); rc != 0 {
		t.Fatalf("backup: %d %s %s", rc, out, errOut)
	}
	for i := 0; i < 2; i++ { // two more revisions reach the branch
		w.serve(1)
		if rc, out, errOut := w.run("outlet", "push"); rc != 0 {
			t.Fatalf("push: %d %s %s", rc, out, errOut)
		}
	}
	if got := w.branchCheckIns("SY001"); !strings.HasSuffix(got, ":4") {
		t.Fatalf("before the restore the branch holds %q", got)
	}

	for _, f := range []string{"outlet.db", "outlet.db-wal", "outlet.db-shm"} {
		os.Remove(filepath.Join(w.cfg.DataDir, f))
	}
	b, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(w.cfg.DataDir, "outlet.db"), b, 0o600)
	w.serve(1) // the outlet's truth is now 3 check-ins
	rc, out, errOut := w.run("outlet", "push")
	if rc != 0 || strings.Contains(errOut, "delivery failed") || !strings.Contains(out, ": stale (") ||
		!strings.Contains(out, "with other figures (restored from a backup?); this outlet's figures were stored again as revision") ||
		!strings.Contains(out, ": accepted\n") {
		t.Fatalf("push after the restore: %d\n%s\n%s", rc, out, errOut)
	}
	if got := w.branchCheckIns("SY001"); !strings.HasSuffix(got, ":3") {
		t.Fatalf("after the restore the branch holds %q, the outlet 3", got)
	}
}
