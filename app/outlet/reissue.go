package outlet

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
)

// An outlet that enrolls under a code other than the one it served under
// (DEMO01 before 'harbor outlet enroll' gave it SY004) may hold revisions
// made under the old code. The branch refuses those (outlet_mismatch), and
// a refused head of the outbox would hold back every later day, so they are
// never sent: the day is made again under the code the outlet is enrolled
// as, or, when the outlet's own code still differs from its enrollment, set
// aside with a message for staff.

// reissue deals with it when it was made for an outlet other than link's:
// it returns a Delivery saying what it did, or nil when it is fine to send.
func (r *Reporter) reissue(ctx context.Context, link *BranchLink, it *outboxItem) (*Delivery, error) {
	var doc struct{ Outlet string }
	if err := json.Unmarshal([]byte(it.Body), &doc); err != nil || doc.Outlet == link.Outlet {
		return nil, nil
	}
	s := r.Svc
	// Enrollment may have changed the code from another process ('harbor
	// outlet enroll' while the server runs): read it again.
	if err := s.reloadProfile(ctx); err != nil {
		return nil, err
	}
	d := &Delivery{Day: it.Day, Revision: it.Revision}
	if code := s.Profile().Code; code != link.Outlet {
		d.Outcome = OutcomeSetAside
		d.Note = fmt.Sprintf("report of %s made for outlet %s, but this outlet is enrolled as %s and serves as %s: set aside, not sent",
			it.Day, doc.Outlet, link.Outlet, code)
		slog.Error("reporter: report set aside", "day", it.Day, "revision", it.Revision, "made_for", doc.Outlet,
			"enrolled_as", link.Outlet, "serves_as", code)
		return d, s.setAside(ctx, it, d.Note)
	}
	rep, _, err := s.snapshot(ctx, it.Day, true, 0) // supersedes it
	if err != nil {
		return nil, err
	}
	d.Outcome = OutcomeReissued
	d.Note = fmt.Sprintf("report of %s was made under the old outlet code %s: sent again as %s, revision %d",
		it.Day, doc.Outlet, link.Outlet, rep.Revision)
	slog.Warn("reporter: report made under an old outlet code made again", "day", it.Day,
		"old_code", doc.Outlet, "code", link.Outlet, "revision", rep.Revision)
	return d, s.notice(ctx, d.Note)
}
