package api_test

import (
	"context"
	"encoding/json"
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
	answers := concurrently(t, b, n, func(i int) *http.Request {
		return apptest.Request("POST", "/api/v1/enroll", "application/json", enrollBody(codes[i], pub))
	})
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
	bodies := make([][]byte, 12)
	for i := range bodies {
		bodies[i], _ = json.Marshal(apptest.SampleReport(o.Code, "2026-11-24", i+1, i+1))
	}
	answers := concurrently(t, b, len(bodies), func(i int) *http.Request { return o.SignedPush(bodies[i], b.Clock.Now()) })
	for i, a := range answers {
		if a != "200" {
			t.Errorf("r%d: %s", i+1, a)
		}
	}
	sum, err := b.Svc.Summary(context.Background(), "2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Outlets) != 1 || sum.Outlets[0].Revision != 12 || sum.Total.CheckIns != 120 {
		t.Fatalf("after concurrent pushes: %+v", sum)
	}
}

// concurrently sends the n requests made by req at once and returns each
// answer as "STATUS" or, when not 200, "STATUS CODE" with the error code.
// Only the test's goroutine fails the test.
func concurrently(t *testing.T, b *apptest.Branch, n int, req func(i int) *http.Request) []string {
	t.Helper()
	type answer struct {
		status int
		body   string
		err    error
	}
	got := make([]answer, n)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			resp, body, err := b.Send(req(i))
			got[i] = answer{body: body, err: err}
			if err == nil {
				got[i].status = resp.StatusCode
			}
		})
	}
	wg.Wait()
	answers := make([]string, n)
	for i, a := range got {
		if a.err != nil {
			t.Fatalf("request %d: %v", i, a.err)
		}
		answers[i] = fmt.Sprint(a.status)
		if a.status != http.StatusOK {
			c, _ := errorCode(t, a.body)
			answers[i] += " " + c
		}
	}
	return answers
}
