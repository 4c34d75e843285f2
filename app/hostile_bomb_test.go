package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"harbor/app/apptest"
)

// bombOf is a request to base+path whose body is sent with the given
// Content-Encoding header lines.
func bombOf(t *testing.T, base, path, contentType string, body []byte, encodings ...string) *http.Request {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	for _, e := range encodings {
		req.Header.Add("Content-Encoding", e)
	}
	return req
}

// refusedAs sends req over the network and requires status and, for a
// JSON answer, code.
func refusedAs(t *testing.T, req *http.Request, status int, code string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s (%s): status %d, want %d: %.200s", req.Method, req.URL.Path,
			strings.Join(req.Header.Values("Content-Encoding"), " + "), resp.StatusCode, status, raw)
	}
	if code == "" {
		return
	}
	var e struct{ Error struct{ Code string } }
	if json.Unmarshal(raw, &e) != nil || e.Error.Code != code {
		t.Fatalf("%s %s: answer %.200s, want code %q", req.Method, req.URL.Path, raw, code)
	}
}

// TestCompressedBodiesRefused (issue 10, item 1): a "gzip, gzip" body that
// inflates to 1 GiB, and any other encoded body, is refused with 415 on
// every route that reads one, over a real connection, on both roles; the
// databases are unchanged and both keep serving.
func TestCompressedBodiesRefused(t *testing.T) {
	bomb := apptest.GzipBomb(1<<30, 2)
	t.Logf("1 GiB of zeros in two gzip layers: %d bytes", len(bomb))
	single := apptest.GzipBomb(1<<20, 1)
	js, form := "application/json", "application/x-www-form-urlencoded"

	o := staffOutlet(t)
	code := o.Svc.Profile().Code
	before := tableChecksum(t, o.Svc.DB().Read, "sessions", "login_failures")
	base := apptest.ServeHTTP(t, o.HTTP)
	for _, r := range []*http.Request{
		bombOf(t, base, "/api/v1/checkins", js, bomb, "gzip, gzip"),
		bombOf(t, base, "/api/v1/checkins", js, bomb, "gzip", "gzip"),
		bombOf(t, base, "/api/v1/checkins", js, single, "identity", "gzip"), // Fiber decodes by the last line
		bombOf(t, base, "/api/v1/checkins", js, single, "deflate"),
		bombOf(t, base, "/api/v1/checkins", js, single, "br"),
	} {
		refusedAs(t, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
	}
	for _, path := range []string{"/k/" + code, "/k/" + code + "/feedback", "/staff/login"} {
		refusedAs(t, bombOf(t, base, path, form, bomb, "GZIP, gzip"), http.StatusUnsupportedMediaType, "") // a page
	}
	if after := tableChecksum(t, o.Svc.DB().Read, "sessions", "login_failures"); after != before {
		t.Fatal("a compressed request changed the outlet's database")
	}
	ok := bombOf(t, base, "/api/v1/checkins", js, []byte(`{"token":"`+o.Svc.PosterToken("")+`","amenities":["water"]}`), "identity")
	refusedAs(t, ok, http.StatusCreated, "") // identity is the one encoding taken

	b := apptest.NewBranch(t, apptest.BranchConfig(t))
	sy1 := b.EnrollOutlet("SY001")
	state := b.ReportState()
	bbase := apptest.ServeHTTP(t, b.HTTP)
	push := bombOf(t, bbase, "/api/v1/reports", js, bomb, "gzip, gzip")
	push.Header = sy1.SignedPush(bomb, b.Clock.Now()).Header
	push.Header.Set("Content-Encoding", "gzip, gzip")
	for _, r := range []*http.Request{
		bombOf(t, bbase, "/api/v1/enroll", js, bomb, "gzip, gzip"),
		bombOf(t, bbase, "/api/v1/enroll", js, single, "deflate, identity"),
		push,
	} {
		refusedAs(t, r, http.StatusUnsupportedMediaType, "unsupported_media_type")
	}
	refusedAs(t, bombOf(t, bbase, "/console/login", form, bomb, "gzip, gzip"), http.StatusUnsupportedMediaType, "")
	if b.ReportState() != state {
		t.Fatal("a compressed request changed the branch's database")
	}
	if resp, text := b.Push(sy1, apptest.SampleReport("SY001", "2026-11-24", 1, 1)); resp.StatusCode != 200 {
		t.Fatalf("a good push after the bombs: %d %s", resp.StatusCode, text)
	}
}

// TestCompressionBombMemory (item 1): the attack against both
// roles running as real processes with default settings: four 1 GiB
// "gzip, gzip" bombs each are refused and neither process grows past
// 128 MiB resident (an outlet died of it before).
func TestCompressionBombMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs harbor as real processes")
	}
	bomb := apptest.GzipBomb(1<<30, 2)
	outlet := apptest.StartHarbor(t, "outlet", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0", "--log-format", "json")
	branch := apptest.StartHarbor(t, "branch", "--data-dir", t.TempDir(), "--addr", "127.0.0.1:0", "--log-format", "json")
	for _, target := range []struct {
		p    *apptest.Process
		path string
	}{{outlet, "/api/v1/checkins"}, {branch, "/api/v1/enroll"}} {
		for range 4 {
			refusedAs(t, bombOf(t, target.p.URL(), target.path, "application/json", bomb, "gzip, gzip"),
				http.StatusUnsupportedMediaType, "unsupported_media_type")
		}
		resp, err := http.Get(target.p.URL() + "/healthz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s after the bombs: %v", target.path, err)
		}
		resp.Body.Close()
		if rss := target.p.PeakRSS(); rss > 128<<20 {
			t.Fatalf("%s: peak RSS %d MiB after the bombs, want at most 128", target.path, rss>>20)
		} else {
			t.Logf("%s: peak RSS %d MiB", target.path, rss>>20)
		}
	}
}
