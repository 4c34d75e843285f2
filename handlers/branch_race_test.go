package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"harbor/app/apptest"
	"harbor/config"
	"harbor/models"
)

// TestConcurrentEnrollSameKey enrolls one key for several outlets at once:
// exactly one outlet gets it, every other is told the key is taken, on
// PostgreSQL's concurrent writers as on SQLite's single one.
func TestConcurrentEnrollSameKey(t *testing.T) {
	apptest.ForEachBranchBackend(t, testConcurrentEnrollSameKey)
}

func testConcurrentEnrollSameKey(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	pub, _ := newKey(t)
	const n = 8 // below the enrollment rate limit
	codes := make([]string, n)
	for i := range codes {
		ec, err := b.Svc.AddOutlet(context.Background(), fmt.Sprintf("SY%03d", i+1), "营业部", "", 0)
		if err != nil {
			t.Fatal(err)
		}
		codes[i] = ec.Code
	}
	answers := make([]string, n)
	var wg sync.WaitGroup
	for i, code := range codes {
		wg.Go(func() {
			resp, body := b.Do(apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(code, pub)))
			answers[i] = fmt.Sprint(resp.StatusCode)
			if resp.StatusCode != http.StatusOK {
				c, _ := errorCode(t, body)
				answers[i] += " " + c
			}
		})
	}
	wg.Wait()
	won := 0
	for _, a := range answers {
		switch a {
		case "200":
			won++
		case "409 " + models.ECONFLICT:
		default:
			t.Fatalf("answers %q: want one 200 and 409 %s for the rest", answers, models.ECONFLICT)
		}
	}
	if won != 1 {
		t.Fatalf("answers %q: want exactly one 200", answers)
	}
}

// TestConcurrentRevisionsKeepHighest pushes twelve revisions of one day at
// once: the highest is kept, and none is refused, as pushes of one outlet
// take turns.
func TestConcurrentRevisionsKeepHighest(t *testing.T) {
	apptest.ForEachBranchBackend(t, testConcurrentRevisionsKeepHighest)
}

func testConcurrentRevisionsKeepHighest(t *testing.T, cfg config.Branch) {
	b := apptest.NewBranch(t, cfg)
	o := b.EnrollOutlet("SY001")
	var wg sync.WaitGroup
	for rev := 1; rev <= 12; rev++ {
		wg.Go(func() {
			resp, body := b.Push(o, apptest.SampleReport(o.Code, "2026-11-24", rev, rev))
			if resp.StatusCode != 200 {
				t.Errorf("r%d: %d %s", rev, resp.StatusCode, body)
			}
		})
	}
	wg.Wait()
	sum, err := b.Svc.Summary(context.Background(), "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Outlets) != 1 || sum.Outlets[0].Revision != 12 || sum.Total.CheckIns != 120 {
		t.Fatalf("after concurrent pushes: %+v", sum)
	}
}
