package app_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"harbor/app/apptest"
	"harbor/app/branch"
	"harbor/config"
	"harbor/models"
)

// pushAnswer pushes r as o and requires status and, for an error, code.
func pushAnswer(t *testing.T, b *apptest.Branch, o apptest.TestOutlet, r models.Report, status int, code string) {
	t.Helper()
	resp, text := b.Push(o, r)
	if resp.StatusCode != status || (code != "" && !strings.Contains(text, `"code":"`+code+`"`)) {
		t.Fatalf("push %s %s rev %d in %s: %d %s, want %d %s", r.Outlet, r.Day, r.Revision, r.TimeZone, resp.StatusCode, text, status, code)
	}
}

// TestTimeZonePinnedAtEnrollment (issue 10, item 10): the branch keeps the
// time zone an outlet enrolled with; a report in another one (the issue's
// day still in the future in Shanghai, sent as Pacific/Kiritimati) is
// refused with timezone_mismatch and stores nothing, until the branch
// accepts the change. An outlet enrolled before zones were pinned gets the
// zone of its first accepted report.
func TestTimeZonePinnedAtEnrollment(t *testing.T) {
	apptest.ForEachBranchBackend(t, testTimeZonePinned)
}

func testTimeZonePinned(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranchAt(t, cfg, apptest.NewClock(time.Date(2026, 11, 25, 23, 30, 0, 0, apptest.Shanghai)))
	sy1 := b.EnrollOutlet("SY001") // in Asia/Shanghai
	pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-25", 1, 1), 200, "")
	state := b.ReportState()

	future := apptest.SampleReport("SY001", "2026-11-26", 1, 1) // 04:30 there, 23:30 in Shanghai
	future.TimeZone = "Pacific/Kiritimati"
	pushAnswer(t, b, sy1, future, http.StatusConflict, "timezone_mismatch")
	if b.ReportState() != state {
		t.Fatal("a report in another time zone changed the branch's data")
	}
	if err := b.Svc.SetOutletTimeZone(context.Background(), "SY001", "Pacific/Kiritimati"); err != nil {
		t.Fatal(err)
	}
	pushAnswer(t, b, sy1, future, 200, "")
	pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-25", 2, 1), http.StatusConflict, "timezone_mismatch")
	for _, bad := range []string{"", "Local", "Mars/Olympus"} {
		if err := b.Svc.SetOutletTimeZone(context.Background(), "SY001", bad); err == nil {
			t.Fatalf("time zone %q accepted", bad)
		}
	}

	// Enrolled by an older outlet, without a zone.
	ec, err := b.Svc.AddOutlet(context.Background(), "SY002", "网点 SY002", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := b.Svc.Enroll(context.Background(), ec.Code, pub, ""); err != nil {
		t.Fatal(err)
	}
	sy2 := apptest.TestOutlet{Code: "SY002", Key: priv}
	pushAnswer(t, b, sy2, apptest.SampleReport("SY002", "2026-11-24", 1, 1), 200, "")
	other := apptest.SampleReport("SY002", "2026-11-25", 1, 1)
	other.TimeZone = "Asia/Urumqi"
	pushAnswer(t, b, sy2, other, http.StatusConflict, "timezone_mismatch")
	if zones := outletZones(t, b); zones["SY001"] != "Pacific/Kiritimati" || zones["SY002"] != "Asia/Shanghai" {
		t.Fatalf("pinned zones: %v", zones)
	}
}

func outletZones(t *testing.T, b *apptest.Branch) map[string]string {
	t.Helper()
	outlets, err := b.Svc.ListOutlets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]string{}
	for _, o := range outlets {
		zones[o.Code] = o.TimeZone
	}
	return zones
}

// TestRevisionJumpBounded (item 10): a revision more than 10^6 past the
// one held is refused and stores nothing, so that a revision of 2^62 can
// no longer freeze a day; within the bound it is taken, and the real
// pushes after it are answered as before.
func TestRevisionJumpBounded(t *testing.T) {
	apptest.ForEachBranchBackend(t, func(t *testing.T, cfg config.Branch) {
		b := apptest.NewBranch(t, cfg)
		sy1 := b.EnrollOutlet("SY001")
		pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-24", 3, 1), 200, "")
		state := b.ReportState()
		pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-24", 3+branch.MaxRevisionJump+1, 2), 400, "invalid")
		pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-24", 1<<62, 2), 400, "invalid")
		if b.ReportState() != state {
			t.Fatal("a refused revision changed the branch's data")
		}
		pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-24", 4, 2), 200, "")
		pushAnswer(t, b, sy1, apptest.SampleReport("SY001", "2026-11-24", 4+branch.MaxRevisionJump, 3), 200, "")
	})
}

// TestEnrollmentPinsTheOutletsZone: an outlet enrolling sends its
// --timezone, and the branch pins it.
func TestEnrollmentPinsTheOutletsZone(t *testing.T) {
	n := newNetwork(t)
	n.addOutlet("SY003", n.url)
	if zone := outletZones(t, n.branch)["SY003"]; zone != "Asia/Shanghai" {
		t.Fatalf("pinned zone %q, want the outlet's Asia/Shanghai", zone)
	}
}
