package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/models"
)

// outletServer is 'harbor outlet' started through Main for a test.
type outletServer struct {
	rc       int // exit code once stopped
	out, err string
	addr     string // where it listened; "" when it refused to start
}

// serveOutlet starts the outlet server with args (and env, may be nil) on a
// free loopback port. Once it has said where it listens, it calls while
// (unless nil) with that address and the output so far, then stops it. It
// returns at once when the server refused to start.
func serveOutlet(t *testing.T, env map[string]string, while func(addr, out string), args ...string) outletServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan int, 1)
	args = append([]string{"outlet", "--addr", "127.0.0.1:0", "--log-format", "text"}, args...)
	go func() {
		done <- Main(ctx, args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	}()
	listening := regexp.MustCompile(` listening on (\S+)\n(?s:.*)data folder:`)
	deadline := time.After(20 * time.Second)
	for {
		select {
		case rc := <-done:
			return outletServer{rc: rc, out: out.String(), err: errOut.String()}
		case <-deadline:
			t.Fatalf("harbor %s: neither listening nor exited after 20 s\n%s\n%s", strings.Join(args, " "), out.String(), errOut.String())
		case <-time.After(5 * time.Millisecond):
		}
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			if while != nil {
				while(m[1], out.String())
			}
			cancel()
			return outletServer{rc: <-done, out: out.String(), err: errOut.String(), addr: m[1]}
		}
	}
}

// harborEnv runs a command with the given HARBOR_* variables.
func harborEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	code := Main(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errOut.String()
}

// TestOutletSettingsRecorded: the code, time zone and base URL the server
// starts with are recorded, every command uses them, and a flag or
// variable that contradicts them is refused until the server is started
// with --change-settings.
func TestOutletSettingsRecorded(t *testing.T) {
	dir := t.TempDir()
	s := serveOutlet(t, nil, nil, "--data-dir", dir, "--outlet-code", "SY001", "--timezone", "America/Los_Angeles",
		"--base-url", "http://10.20.1.5:8080/")
	if s.rc != 0 || !strings.Contains(s.out, "http://10.20.1.5:8080/k/SY001?t=p1.") || !strings.Contains(s.out, "America/Los_Angeles") {
		t.Fatalf("first start: exit %d\n%s\n%s", s.rc, s.out, s.err)
	}
	// Every command takes them from the database.
	if rc, out, errOut := harbor(t, "outlet", "qr", "--data-dir", dir); rc != 0 || !strings.HasPrefix(out, "http://10.20.1.5:8080/k/SY001?t=p1.") {
		t.Fatalf("qr: exit %d %q %s", rc, out, errOut)
	}
	before := localToday(t, "America/Los_Angeles")
	rc, out, errOut := harbor(t, "outlet", "report", "--data-dir", dir)
	var r models.Report
	if rc != 0 || json.Unmarshal([]byte(out), &r) != nil || r.TimeZone != "America/Los_Angeles" || r.Outlet != "SY001" ||
		(r.Day != before && r.Day != localToday(t, "America/Los_Angeles")) {
		t.Fatalf("report: exit %d %s %s", rc, out, errOut)
	}
	// A contradicting flag or variable is refused, naming the recorded value.
	for _, c := range []struct {
		env  map[string]string
		args []string
		want []string
	}{
		{nil, []string{"outlet", "report", "--timezone", "Asia/Shanghai"}, []string{"America/Los_Angeles", "--change-settings"}},
		{map[string]string{"HARBOR_TIMEZONE": "Asia/Shanghai"}, []string{"outlet", "push"}, []string{"America/Los_Angeles", "HARBOR_TIMEZONE"}},
		{nil, []string{"outlet", "qr", "--base-url", "http://10.9.9.9:8080"}, []string{"http://10.20.1.5:8080", "--change-settings"}},
		{nil, []string{"outlet", "user", "list", "--outlet-code", "SY002"}, []string{"SY001", "new posters"}},
		{map[string]string{"HARBOR_OUTLET_CODE": "SY002"}, []string{"outlet", "backup", dir + "/copy.db"}, []string{"SY001"}},
	} {
		rc, out, errOut := harborEnv(t, c.env, append(c.args, "--data-dir", dir)...)
		if rc != 1 || out != "" {
			t.Errorf("%v %v: exit %d, out %q; want refused", c.env, c.args, rc, out)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v %v: %q lacks %q", c.env, c.args, errOut, w)
			}
		}
	}
	if s := serveOutlet(t, nil, nil, "--data-dir", dir, "--timezone", "Asia/Shanghai"); s.rc != 1 || !strings.Contains(s.err, "America/Los_Angeles") {
		t.Fatalf("server with another time zone: exit %d %s", s.rc, s.err)
	}
	if rc, _, errOut := harbor(t, "outlet", "qr", "--data-dir", dir, "--timezone", "Asia/Shanghai", "--change-settings"); rc != 2 {
		t.Fatalf("--change-settings is the server's: qr exit %d %s", rc, errOut)
	}
	// On purpose: the server with the new value and --change-settings.
	s = serveOutlet(t, map[string]string{"HARBOR_TIMEZONE": "Asia/Shanghai"}, nil, "--data-dir", dir, "--change-settings")
	if s.rc != 0 || !strings.Contains(s.out, "Asia/Shanghai") {
		t.Fatalf("change on purpose: exit %d %s %s", s.rc, s.out, s.err)
	}
	if rc, out, _ := harbor(t, "outlet", "report", "--data-dir", dir); rc != 0 || !strings.Contains(out, `"timezone": "Asia/Shanghai"`) {
		t.Fatalf("report after the change: exit %d %s", rc, out)
	}
}

// TestOutletFirstStartDefaults: a bare first start needs no flag; a base
// URL never given follows the machine's address at each start until one
// is given, which is then kept. Commands never create the database.
func TestOutletFirstStartDefaults(t *testing.T) {
	dir := t.TempDir()
	if rc, _, errOut := harbor(t, "outlet", "qr", "--data-dir", dir); rc != 1 || !strings.Contains(errOut, "start the server once") {
		t.Fatalf("qr before the first start: exit %d %s", rc, errOut)
	}
	s := serveOutlet(t, nil, nil, "--data-dir", dir)
	if s.rc != 0 || !strings.Contains(s.out, "harbor outlet DEMO01") || !strings.Contains(s.out, "Asia/Shanghai") ||
		!strings.Contains(s.out, "http://"+s.addr+"/k/DEMO01?t=") {
		t.Fatalf("zero-config start: exit %d\n%s\n%s", s.rc, s.out, s.err)
	}
	again := serveOutlet(t, nil, nil, "--data-dir", dir)
	if again.rc != 0 || again.addr == s.addr || !strings.Contains(again.out, "http://"+again.addr+"/k/DEMO01?t=") {
		t.Fatalf("a derived base URL follows the address: exit %d\n%s", again.rc, again.out)
	}
	if rc, out, _ := harbor(t, "outlet", "qr", "--data-dir", dir); rc != 0 || !strings.HasPrefix(out, "http://"+again.addr+"/") {
		t.Fatalf("qr after a zero-config start: %q, want the server's http://%s", out, again.addr)
	}
	given := serveOutlet(t, nil, nil, "--data-dir", dir, "--base-url", "http://10.20.1.5:8080")
	if given.rc != 0 || !strings.Contains(given.out, "http://10.20.1.5:8080/k/DEMO01?t=") {
		t.Fatalf("a given base URL replaces a derived one: exit %d %s %s", given.rc, given.out, given.err)
	}
	if kept := serveOutlet(t, nil, nil, "--data-dir", dir); kept.rc != 0 || !strings.Contains(kept.out, "http://10.20.1.5:8080/k/DEMO01?t=") {
		t.Fatalf("a given base URL is kept: exit %d %s", kept.rc, kept.out)
	}
}

// TestOutletPushInRecordedTimeZone is the hazard the recorded time zone
// closes: an outlet serving in Los Angeles records a check-in, then 'harbor
// outlet push' without --timezone delivers it under Los Angeles' day — not
// relabelled as Shanghai's, which the branch would take for another day or
// refuse as a future one.
func TestOutletPushInRecordedTimeZone(t *testing.T) {
	b := apptest.NewBranchAt(t, apptest.BranchConfig(t), apptest.RealClock())
	branchURL := apptest.ServeHTTP(t, b.HTTP)
	ec, err := b.Svc.AddOutlet(context.Background(), "LA001", "洛杉矶", "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if s := serveOutlet(t, nil, nil, "--data-dir", dir, "--timezone", "America/Los_Angeles", "--base-url", "http://10.20.1.5:8080"); s.rc != 0 {
		t.Fatalf("first start: exit %d %s", s.rc, s.err)
	}
	if rc, out, errOut := harbor(t, "outlet", "enroll", "--data-dir", dir, "--branch", branchURL, "--code", ec.Code); rc != 0 {
		t.Fatalf("enroll: exit %d %s %s", rc, out, errOut)
	}
	// A check-in through the real server, on its recorded settings.
	s := serveOutlet(t, nil, func(addr, out string) {
		token := regexp.MustCompile(`\?t=(p1\.\S+)`).FindStringSubmatch(out)[1]
		resp, err := http.Post("http://"+addr+"/api/v1/checkins", "application/json",
			strings.NewReader(`{"token":"`+token+`","amenities":["water"]}`))
		if err != nil || resp.StatusCode != http.StatusCreated {
			t.Fatalf("check-in: %v %v", err, resp)
		}
		resp.Body.Close()
	}, "--data-dir", dir)
	if s.rc != 0 {
		t.Fatalf("server exit %d %s", s.rc, s.err)
	}

	before := localToday(t, "America/Los_Angeles")
	rc, pushed, pushErr := harbor(t, "outlet", "push", "--data-dir", dir)
	if rc != 0 || !strings.Contains(pushed, "accepted") {
		t.Fatalf("push: exit %d\n%s\n%s", rc, pushed, pushErr)
	}
	after := localToday(t, "America/Los_Angeles")
	var held []struct {
		Day, TimeZone string
		CheckIns      int
	}
	if err := b.Svc.DB().Read.Raw(`SELECT day, timezone AS time_zone, checkins AS check_ins FROM reports WHERE outlet = ?`,
		ec.Outlet).Scan(&held).Error; err != nil {
		t.Fatal(err)
	}
	if len(held) != 1 || held[0].TimeZone != "America/Los_Angeles" || held[0].CheckIns != 1 ||
		(held[0].Day != before && held[0].Day != after) {
		t.Fatalf("the branch holds %+v; want 1 check-in on Los Angeles' day %s\n%s", held, before, pushed)
	}
}

// localToday is today's date in the named time zone.
func localToday(t *testing.T, tz string) string {
	t.Helper()
	loc, err := time.LoadLocation(tz)
	if err != nil {
		t.Fatal(err)
	}
	day, _ := models.LocalDay(time.Now(), loc)
	return day
}
