package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/app/signing"
	"harbor/config"
	"harbor/models"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// harbor runs the command line with no environment and returns its exit
// code, stdout and stderr.
func harbor(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	code := Main(context.Background(), args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

// enrollAndPush binds a fresh key with the enrollment code and pushes one
// report for today, as the outlet would.
func enrollAndPush(t *testing.T, cfg config.Branch, outlet, code string) models.Report {
	t.Helper()
	svc, err := branch.Open(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := svc.Enroll(context.Background(), code, pub, "Asia/Shanghai"); err != nil {
		t.Fatal(err)
	}
	day, _ := models.LocalDay(time.Now(), apptest.Shanghai)
	r := apptest.SampleReport(outlet, day, 1, 2)
	body, _ := json.Marshal(r)
	if _, err := svc.Ingest(context.Background(), outlet, signing.Sign(priv, time.Now(), body), body); err != nil {
		t.Fatal(err)
	}
	return r
}

// dbArgs are the flags that point a command at cfg's database.
func dbArgs(cfg config.Branch) []string {
	if cfg.DBDriver == config.DriverPostgres {
		return []string{"--db", cfg.DB}
	}
	return []string{"--data-dir", cfg.DataDir}
}

func TestBranchOutletCommands(t *testing.T) {
	apptest.ForEachBranchBackend(t, testBranchOutletCommands)
}

func testBranchOutletCommands(t *testing.T, cfg config.Branch) {
	if cfg.DBDriver == config.DriverSQLite { // a folder that does not exist yet
		cfg.DataDir = filepath.Join(cfg.DataDir, "branch")
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	db := dbArgs(cfg)
	run := func(args ...string) (int, string, string) { return harbor(t, append(args, db...)...) }
	rc, out, errOut := run("branch", "outlet", "add", "SY001", "--name", "十堰分行营业部", "--group", "张湾")
	enroll := regexp.MustCompile(`harbor outlet enroll --branch (http://\S+) --code (\S+)`).FindStringSubmatch(out)
	if rc != 0 || enroll == nil {
		t.Fatalf("outlet add: %d\n%s\n%s", rc, out, errOut)
	}
	if rc, _, errOut = run("branch", "outlet", "add", "SY001", "--name", "again"); rc != 1 || !strings.Contains(errOut, "already registered") {
		t.Fatalf("second add: %d %s", rc, errOut)
	}
	rc, out, _ = run("branch", "outlet", "list")
	if rc != 0 || !strings.Contains(out, "SY001") || !strings.Contains(out, "awaiting enrollment") {
		t.Fatalf("list before enrollment: %d\n%s", rc, out)
	}

	r := enrollAndPush(t, cfg, "SY001", enroll[2])
	rc, out, _ = run("branch", "outlet", "list")
	if rc != 0 || !strings.Contains(out, "active") || !strings.Contains(out, r.Day+" rev 1 final") || !strings.Contains(out, "Asia/Shanghai") {
		t.Fatalf("list after a report: %d\n%s", rc, out)
	}
	if rc, out, _ = run("branch", "outlet", "timezone", "SY001", "Asia/Urumqi"); rc != 0 || !strings.Contains(out, "Asia/Urumqi") {
		t.Fatalf("timezone: %d %s", rc, out)
	}
	if rc, _, errOut = run("branch", "outlet", "timezone", "SY001", "Local"); rc != 1 || !strings.Contains(errOut, "IANA") {
		t.Fatalf("timezone Local: %d %s", rc, errOut)
	}
	rc, out, _ = run("branch", "summary", "--day", r.Day)
	var sum branch.Summary
	if rc != 0 || json.Unmarshal([]byte(out), &sum) != nil {
		t.Fatalf("summary: %d\n%s", rc, out)
	}
	if sum.Reports != 1 || sum.Total.CheckIns != r.Totals.CheckIns || sum.Total.Channels != r.Channels ||
		len(sum.Total.Amenities) != 2 || sum.Total.Amenities[1] != r.Amenities[1] {
		t.Fatalf("summary %+v does not match the report %+v", sum, r)
	}

	if rc, out, _ = run("branch", "outlet", "revoke", "SY001"); rc != 0 || !strings.Contains(out, "Revoked") {
		t.Fatalf("revoke: %d %s", rc, out)
	}
	rc, out, _ = run("branch", "outlet", "list", "--json")
	var outlets []branch.Outlet
	if rc != 0 || json.Unmarshal([]byte(out), &outlets) != nil || len(outlets) != 1 || outlets[0].Status != "revoked" ||
		outlets[0].TimeZone != "Asia/Urumqi" {
		t.Fatalf("list --json after revoke: %d\n%s", rc, out)
	}
	if rc, _, errOut = run("branch", "outlet", "code", "SY001"); rc != 1 || !strings.Contains(errOut, "revoked") {
		t.Fatalf("new code for a revoked outlet: %d %s", rc, errOut)
	}
}

func TestBranchCommandErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none")
	if rc, _, errOut := harbor(t, "branch", "outlet", "list", "--data-dir", missing); rc != 1 || !strings.Contains(errOut, "no branch database") {
		t.Fatalf("list on a missing folder: %d %s", rc, errOut)
	}
	for _, args := range [][]string{
		{"branch", "summary", "--data-dir", missing},
		{"branch", "outlet", "add", "--name", "x", "--data-dir", missing},
		{"branch", "outlet", "revoke", "A", "B", "--data-dir", missing},
		{"branch", "outlet", "frobnicate"},
		{"branch", "outlet"},
		{"branch", "nonsense"},
		{"branch", "--no-such-flag"},
	} {
		if rc, _, _ := harbor(t, args...); rc != 2 {
			t.Errorf("%q: exit %d, want 2", args, rc)
		}
	}
	if rc, _, errOut := harbor(t, "branch", "--db", "postgres://harbor:s3cret@127.0.0.1:1/none"); rc != 1 ||
		!strings.Contains(errOut, "connect to PostgreSQL") || strings.Contains(errOut, "s3cret") {
		t.Fatalf("unreachable postgres: %d %s", rc, errOut)
	}
	if rc, _, errOut := harbor(t, "branch", "--db", "mysql://x/y"); rc != 1 || !strings.Contains(errOut, "postgres://") {
		t.Fatalf("mysql: %d %s", rc, errOut)
	}
}

func TestBranchHelp(t *testing.T) {
	for _, args := range [][]string{
		{"branch", "--help"}, {"branch", "outlet", "add", "--help"}, {"branch", "outlet", "code", "--help"},
		{"branch", "outlet", "list", "--help"}, {"branch", "outlet", "revoke", "--help"},
		{"branch", "summary", "--help"},
	} {
		rc, _, errOut := harbor(t, args...)
		if rc != 0 || !strings.Contains(errOut, "harbor "+strings.Join(args[:len(args)-1], " ")) || !strings.Contains(errOut, "HARBOR_DATA_DIR") {
			t.Errorf("%q: exit %d\n%s", args, rc, errOut)
		}
	}
	if rc, out, _ := harbor(t, "branch", "outlet", "--help"); rc != 0 || !strings.Contains(out, "outlet revoke CODE") {
		t.Errorf("outlet --help: %d %s", rc, out)
	}
	if rc, out, _ := harbor(t, "--help"); rc != 0 || !strings.Contains(out, "harbor branch summary --day") {
		t.Errorf("--help: %d %s", rc, out)
	}
}

func TestBranchServe(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	env := Env{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		return map[string]string{"HARBOR_DATA_DIR": dir, "HARBOR_LOG_FORMAT": "text"}[k]
	}}
	done := make(chan int)
	go func() { done <- Main(ctx, []string{"branch", "--addr", "127.0.0.1:0"}, env) }()
	health := regexp.MustCompile(`health:\s+(http://\S+)`)
	var url string
	for deadline := time.Now().Add(5 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := health.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" || !strings.Contains(out.String(), "/api/v1/reports") {
		t.Fatalf("no URLs printed:\n%s\n%s", out.String(), errOut.String())
	}
	resp, err := http.Get(url)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %v", url, err, resp)
	}
	resp.Body.Close()
	cancel()
	if rc := <-done; rc != 0 {
		t.Fatalf("exit %d\n%s", rc, errOut.String())
	}
	if _, err := os.Stat(filepath.Join(dir, config.BranchDBFile)); err != nil {
		t.Fatalf("the database was not created in HARBOR_DATA_DIR: %v", err)
	}
}
