package branch

import (
	"gorm.io/gorm"

	"harbor/models"
)

// pending is one checked report waiting to be stored, and what its push
// is answered.
type pending struct {
	r    models.Report
	hash string
	body []byte
	key  string   // the outlet's key the signature was checked with (base64)
	ev   evidence // coverage, signals and figures hash

	outcome string
	old     dayFigures // replaced: the figures of the report it replaces
	res     IngestResult
	err     error
	done    chan struct{}
}

// storeBatch applies the revision rules to a batch of checked reports, no
// two of the same outlet and day, in the caller's transaction, with a
// fixed number of statements for the whole batch: contact times (and the
// outlets' keys checked), current revisions, the reports, their amenity,
// category, hour and activity rows, profiles, month rollups, receipts and
// day rollups. New days are added to the month rollups; a replaced day
// makes its outlet's month be recomputed from its reports, as before. It
// fills each member's outcome and result, or its error.
func (s *Service) storeBatch(tx *gorm.DB, batch []*pending) error {
	now := millis(s.now())
	// touch comes first: on PostgreSQL its UPDATE locks the outlets' rows
	// until commit, so that other writers of those outlets take turns.
	batch, zones, err := s.touchOutlets(tx, batch, now)
	if err != nil || len(batch) == 0 {
		return err
	}
	var codes, days []any
	seenCode, seenDay := map[string]bool{}, map[string]bool{}
	for _, p := range batch {
		if !seenCode[p.r.Outlet] {
			seenCode[p.r.Outlet] = true
			codes = append(codes, p.r.Outlet)
		}
		if !seenDay[p.r.Day] {
			seenDay[p.r.Day] = true
			days = append(days, p.r.Day)
		}
	}
	var cur []struct {
		Outlet, Day        string
		Revision           int
		ContentHash        string
		FiguresHash        string
		Final              bool
		CheckIns, Visitors int
	}
	inCodes, codeArgs := in(tx, "outlet", codes)
	inDays, dayArgs := in(tx, "day", days)
	if err := tx.Raw(`SELECT outlet, day, revision, content_hash, figures_hash, final, checkins AS check_ins, visitors
		FROM reports WHERE `+inCodes+` AND `+inDays, append(codeArgs, dayArgs...)...).Scan(&cur).Error; err != nil {
		return err
	}
	held := map[[2]string]storedRevision{}
	old := map[[2]string]dayFigures{} // the figures a replaced report takes away from its day
	for _, c := range cur {
		held[[2]string{c.Outlet, c.Day}] = storedRevision{Revision: c.Revision, ContentHash: c.ContentHash, FiguresHash: c.FiguresHash, Final: c.Final}
		old[[2]string{c.Outlet, c.Day}] = dayFigures{checkins: c.CheckIns, visitors: c.Visitors}
	}
	var write, replaced []*pending
	kept := batch[:0:0]
	for _, p := range batch {
		var prev []storedRevision
		if c, ok := held[[2]string{p.r.Outlet, p.r.Day}]; ok {
			prev = append(prev, c)
		}
		if p.err = checkHeld(p.r, zones[p.r.Outlet], revisionOf(prev)); p.err != nil {
			continue
		}
		if zones[p.r.Outlet] == "" { // enrolled before zones were pinned: the first report pins it
			zones[p.r.Outlet] = p.r.TimeZone
			if err := tx.Exec(`UPDATE outlets SET timezone = ? WHERE code = ? AND timezone IS NULL`,
				p.r.TimeZone, p.r.Outlet).Error; err != nil {
				return err
			}
		}
		kept = append(kept, p)
		p.outcome = revisionOutcome(prev, p.r.Revision, p.hash)
		p.res = IngestResult{Status: Accepted, Outlet: p.r.Outlet, Day: p.r.Day, Revision: p.r.Revision, CurrentRevision: p.r.Revision}
		switch p.outcome {
		case outcomeStale:
			p.res.Status, p.res.CurrentRevision = Stale, prev[0].Revision
			p.res.CurrentFigures, p.res.CurrentFinal = prev[0].FiguresHash, prev[0].Final
		case outcomeReplaced:
			p.old = old[[2]string{p.r.Outlet, p.r.Day}]
			replaced = append(replaced, p)
			write = append(write, p)
		case outcomeStored:
			write = append(write, p)
		}
	}
	batch = kept
	if err := s.writeReports(tx, write, replaced, now); err != nil {
		return err
	}
	receipts := make([][]any, len(batch))
	for i, p := range batch {
		receipts[i] = []any{p.r.Outlet, p.r.Day, p.r.Revision, p.outcome, now}
	}
	if _, err := insertRows(tx, "report_receipts(outlet, day, revision, outcome, received_at)", receipts, ""); err != nil {
		return err
	}
	// Last: the day rollups are the rows other writers' transactions
	// update too (PostgreSQL), held from here to the commit.
	return addToDays(tx, write)
}

// touchOutlets records the contact of batch's outlets and returns the
// members whose outlet is still active with the key their push was
// checked with, and those outlets' pinned time zones (none: ""); each
// other member is answered with the error it would get now. The key cache
// (outlet_keys.go) may be older than a revocation or a new key, made in
// another process; this check, in the transaction that stores the
// reports, is what makes those take effect at once (and a zone accepted
// by 'harbor branch outlet timezone').
func (s *Service) touchOutlets(tx *gorm.DB, batch []*pending, now int64) ([]*pending, map[string]string, error) {
	var codes []any
	seen := map[string]bool{}
	for _, p := range batch {
		if !seen[p.r.Outlet] {
			seen[p.r.Outlet] = true
			codes = append(codes, p.r.Outlet)
		}
	}
	inCodes, args := in(tx, "code", codes)
	var rows []struct {
		Code, PublicKey string
		Timezone        *string
	}
	if err := tx.Raw(`UPDATE outlets SET last_contact_at = ? WHERE status = ? AND `+inCodes+` RETURNING code, public_key, timezone`,
		append([]any{now, StatusActive}, args...)...).Scan(&rows).Error; err != nil {
		return nil, nil, err
	}
	keys, zones := make(map[string]string, len(rows)), make(map[string]string, len(rows))
	for _, r := range rows {
		keys[r.Code] = r.PublicKey
		if r.Timezone != nil {
			zones[r.Code] = *r.Timezone
		}
	}
	valid := batch[:0:0]
	for _, p := range batch {
		p.err = nil
		if key, ok := keys[p.r.Outlet]; ok && key == p.key {
			valid = append(valid, p)
			continue
		}
		s.keys.forget(p.r.Outlet)
		var row []struct {
			Status    string
			PublicKey *string
		}
		if err := tx.Raw(`SELECT status, public_key FROM outlets WHERE code = ?`, p.r.Outlet).Scan(&row).Error; err != nil {
			return nil, nil, err
		}
		p.err = keyChanged()
		if len(row) == 1 {
			if _, err := checkKey(p.r.Outlet, row[0].Status, row[0].PublicKey); err != nil {
				p.err = err
			}
		}
	}
	return valid, zones, nil
}

// writeReports makes each of write the current report of its outlet and
// day, with its child rows, profile and month rollups.
func (s *Service) writeReports(tx *gorm.DB, write, replaced []*pending, now int64) error {
	if len(write) == 0 {
		return nil
	}
	rows := make([][]any, len(write))
	for i, p := range write {
		rows[i] = reportValues(p, now)
	}
	// The WHERE guard keeps a lower revision from overwriting a higher one
	// even where the database lets two writers interleave.
	n, err := insertRows(tx, `reports(outlet, day, revision, final, timezone, content_hash, body,
		generated_at, received_at, checkins, visitors, live, poster, assisted,
		feedback_received, feedback_resolved, feedback_open, activities, activity_participants,
		`+evidenceColumns+`)`, rows,
		`ON CONFLICT(outlet, day) DO UPDATE SET revision = excluded.revision, final = excluded.final,
			timezone = excluded.timezone, content_hash = excluded.content_hash, body = excluded.body,
			generated_at = excluded.generated_at, received_at = excluded.received_at,
			checkins = excluded.checkins, visitors = excluded.visitors, live = excluded.live,
			poster = excluded.poster, assisted = excluded.assisted,
			feedback_received = excluded.feedback_received, feedback_resolved = excluded.feedback_resolved,
			feedback_open = excluded.feedback_open, activities = excluded.activities,
			activity_participants = excluded.activity_participants, `+evidenceUpdate+`
		WHERE reports.revision < excluded.revision`)
	if err != nil {
		return err
	}
	if n != int64(len(rows)) {
		return models.Errorf(models.ECONFLICT, "a newer revision of a report arrived at the same time; retry")
	}
	for _, p := range replaced {
		if err := p.old.read(tx, p.r.Outlet, p.r.Day); err != nil {
			return err
		}
		for _, table := range []string{"report_amenities", "report_categories", "report_hours", "report_activities", "report_feedback_ages"} {
			if err := tx.Exec(`DELETE FROM `+table+` WHERE outlet = ? AND day = ?`, p.r.Outlet, p.r.Day).Error; err != nil {
				return err
			}
		}
	}
	if err := insertChildren(tx, write); err != nil {
		return err
	}
	if err := saveProfiles(tx, write, now); err != nil {
		return err
	}
	return addToMonths(tx, write, replaced, now)
}

// reportValues is the reports row of p.
func reportValues(p *pending, now int64) []any {
	r := p.r
	var fb models.FeedbackCounts
	if r.Feedback != nil {
		fb = *r.Feedback
	}
	participants := 0
	for _, a := range r.Activities {
		participants += a.Participants
	}
	return append([]any{r.Outlet, r.Day, r.Revision, r.Final, r.TimeZone, p.hash, string(p.body),
		r.GeneratedAt, now, r.Totals.CheckIns, r.Totals.Visitors,
		r.Channels.Live, r.Channels.Poster, r.Channels.Assisted,
		fb.Received, fb.Resolved, fb.Open, len(r.Activities), participants}, p.ev.values(now)...)
}

// insertChildren writes the reports' per-amenity, per-category, non-zero
// per-hour and per-activity rows, and their feedback ages.
func insertChildren(tx *gorm.DB, write []*pending) error {
	var amenities, categories, hours, activities, ages [][]any
	for _, p := range write {
		r := p.r
		for _, a := range r.Amenities {
			amenities = append(amenities, []any{r.Outlet, r.Day, a.Code, a.CheckIns, a.Visitors})
		}
		for _, c := range r.Categories {
			categories = append(categories, []any{r.Outlet, r.Day, c.Code, c.CheckIns})
		}
		for h, n := range r.Hours {
			if n > 0 {
				hours = append(hours, []any{r.Outlet, r.Day, h, n})
			}
		}
		for i, a := range r.Activities {
			activities = append(activities, []any{r.Outlet, r.Day, i, a.Theme, a.Venue, a.Participants})
		}
		if r.Feedback != nil {
			for _, a := range r.Feedback.ResolvedAfter {
				ages = append(ages, []any{r.Outlet, r.Day, a.Days, a.Count})
			}
		}
	}
	for _, t := range []struct {
		target string
		rows   [][]any
	}{
		{"report_amenities(outlet, day, amenity, checkins, visitors)", amenities},
		{"report_categories(outlet, day, category, checkins)", categories},
		{"report_hours(outlet, day, hour, checkins)", hours},
		{"report_activities(outlet, day, seq, theme, venue, participants)", activities},
		{"report_feedback_ages(outlet, day, days, count)", ages},
	} {
		if _, err := insertRows(tx, t.target, t.rows, ""); err != nil {
			return err
		}
	}
	return nil
}
