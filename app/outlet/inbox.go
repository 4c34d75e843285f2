package outlet

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// The scans a public gateway took for this outlet arrive as inbox items
// (models.InboxItem, app/pull). Each is applied through the normal
// check-in path — the token checked again against this outlet's secret as
// of the scan, the amenities and category validated, dedupe, the day and
// hour of the scan in the outlet's zone, the channel kept — and recorded
// in gateway_applied in the same transaction, so that an item pulled
// twice is stored once (migration 0011).

// Outcomes of an applied item, as gateway_applied keeps them.
const (
	OutcomeRecorded  = "recorded"
	OutcomeDuplicate = "duplicate" // every amenity inside the dedupe window: nothing new counted
	OutcomeFeedback  = "feedback"
	OutcomeRefused   = "refused:" // then the error code: the token or the choice does not hold here
	OutcomeBefore    = "applied before"
)

// appliedItem ties a check-in to the gateway item it applies.
type appliedItem struct {
	gateway string
	id      int64
	before  bool // set by the writer: applied before, nothing stored now
}

// record notes, in the writer's transaction, that the item is applied; it
// returns false when it was applied before.
func (it *appliedItem) record(st checkInStmts, recorded bool, now time.Time) (bool, error) {
	outcome := OutcomeRecorded
	if !recorded {
		outcome = OutcomeDuplicate
	}
	r, err := st.applied.Exec(it.gateway, it.id, now.UnixMilli(), outcome)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	it.before = n == 0
	return n == 1, err
}

// ApplyItems applies items pulled from gateway, in order, and returns each
// one's outcome. It stops at the first item it could not store (the
// database failing, the outlet shutting down) and returns how many it
// applied before it with the error: the cursor may move up to those only.
// An item applied before is not stored again; one whose code or choice
// does not hold here is refused and recorded as such, never retried.
func (s *Service) ApplyItems(ctx context.Context, gateway string, items []models.InboxItem) (int, []string, error) {
	outcomes := make([]string, len(items))
	var pending []*pendingCheckIn
	var at []int // index in items of each pending
	for i, it := range items {
		switch p, err := s.pendingItem(gateway, it); {
		case err != nil:
			outcomes[i] = OutcomeRefused + models.ErrorCode(err)
		case p != nil:
			pending, at = append(pending, p), append(at, i)
		}
	}
	failed := len(items)
	for k, err := range s.writer.batches.SubmitAll(ctx, pending) {
		i, p := at[k], pending[k]
		switch {
		case err != nil:
			failed = min(failed, i)
		case p.item.before:
			outcomes[i] = OutcomeBefore
		case len(p.res.Recorded) > 0:
			outcomes[i] = OutcomeRecorded
		default:
			outcomes[i] = OutcomeDuplicate
		}
	}
	for i, it := range items[:failed] {
		var err error
		switch {
		case it.Kind == models.KindFeedback && outcomes[i] == "":
			outcomes[i], err = s.applyFeedback(ctx, gateway, it)
		case isRefused(outcomes[i]):
			err = s.recordApplied(s.db.Write.WithContext(ctx), gateway, it.ID, outcomes[i])
		}
		if err != nil {
			return i, outcomes[:i], err
		}
	}
	if failed < len(items) {
		return failed, outcomes[:failed], errors.New("the check-in writer did not store an item; pulling again later")
	}
	return len(items), outcomes, nil
}

func isRefused(outcome string) bool {
	return len(outcome) > len(OutcomeRefused) && outcome[:len(OutcomeRefused)] == OutcomeRefused
}

// pendingItem turns a check-in item into the check-in the writer stores,
// checking it as RecordCheckIn checks a worker's post: nil for an item
// that is no check-in (feedback), an *models.Error for one refused.
func (s *Service) pendingItem(gateway string, it models.InboxItem) (*pendingCheckIn, error) {
	switch {
	case it.Kind == models.KindFeedback && it.Feedback != nil:
		return nil, nil
	case it.Kind != models.KindCheckIn || it.CheckIn == nil:
		return nil, models.Errorf(models.EINVALID, "unknown item kind %q", truncate(it.Kind, 20))
	}
	c := it.CheckIn
	at, scanned := time.UnixMilli(it.At).UTC(), time.UnixMilli(c.TokenAt).UTC()
	grant, err := s.verifyToken(s.Profile().Code, c.Scope, c.Token, scanned, true)
	if err != nil {
		return nil, err
	}
	// After a scan of the lobby screen, the form is sent within the
	// ticket's lifetime, as at this outlet.
	if gap := at.Sub(scanned); grant.Channel == models.ChannelLive && (gap < -time.Minute || gap > FormTicketTTL+time.Minute) {
		return nil, models.Errorf(models.EEXPIRED, "the form was sent %s after the screen was scanned", gap.Round(time.Second))
	}
	amenities, err := s.validateAmenities(grant.Amenity, c.Amenities)
	if err != nil {
		return nil, err
	}
	if err := CheckCategory(c.Category); err != nil {
		return nil, err
	}
	if !ValidVisitorID(c.Visitor) {
		return nil, models.Errorf(models.EINVALID, "malformed visitor pseudonym")
	}
	local := at.In(s.cfg.Location)
	day, hour := models.LocalDay(at, s.cfg.Location)
	open, known := s.Profile().Hours.OpenAt(local)
	p := &pendingCheckIn{at: at, day: day, hour: hour, channel: grant.Channel, category: c.Category,
		visitorID: c.Visitor, amenities: amenities, people: 1, minute: hour*60 + local.Minute(),
		cookieless: c.Cookieless, offHours: known && !open, item: &appliedItem{gateway: gateway, id: it.ID}}
	if c.Client != "" {
		p.addr = "gateway:" + c.Client // the gateway's pseudonym of the address, apart from local ones
	}
	return p, nil
}

// applyFeedback stores a feedback item as the feedback form does, dated
// when the gateway took it, with its applied mark in one transaction.
func (s *Service) applyFeedback(ctx context.Context, gateway string, it models.InboxItem) (string, error) {
	in := FeedbackInput{Rating: it.Feedback.Rating, Amenity: it.Feedback.Amenity, Text: it.Feedback.Text}
	f, err := s.newFeedback(in, time.UnixMilli(it.At))
	if err != nil {
		outcome := OutcomeRefused + models.ErrorCode(err)
		return outcome, s.recordApplied(s.db.Write.WithContext(ctx), gateway, it.ID, outcome)
	}
	outcome := OutcomeFeedback
	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO gateway_applied(gateway, item, applied_at, outcome) VALUES (?, ?, ?, ?)
			ON CONFLICT(gateway, item) DO NOTHING`, gateway, it.ID, s.now().UnixMilli(), outcome)
		if res.Error != nil || res.RowsAffected == 0 {
			outcome = OutcomeBefore
			return res.Error
		}
		return storeFeedback(tx, &f)
	})
	return outcome, err
}

// recordApplied marks an item applied with outcome, unless it was before.
func (s *Service) recordApplied(tx *gorm.DB, gateway string, id int64, outcome string) error {
	return tx.Exec(`INSERT INTO gateway_applied(gateway, item, applied_at, outcome) VALUES (?, ?, ?, ?)
		ON CONFLICT(gateway, item) DO NOTHING`, gateway, id, s.now().UnixMilli(), outcome).Error
}

// AppliedOutcomes counts the items applied from gateways by outcome, for
// tests and the health check.
func (s *Service) AppliedOutcomes(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Outcome string
		N       int
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT outcome, COUNT(*) AS n FROM gateway_applied GROUP BY outcome`).
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Outcome] = r.N
	}
	return out, nil
}
