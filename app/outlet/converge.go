package outlet

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"harbor/app/db"
	"harbor/models"
)

// A restored outlet's revisions are below the branch's: the branch holds
// figures the outlet no longer has. The outlet's figures are the truth, so
// whenever the branch holds other figures of a day under a revision at or
// above the one sent ("stale", or "conflict" for the same number), the
// outlet stores its figures again above the branch's revision and sends
// them. A backup made by 'harbor outlet backup' is marked, so that an
// outlet started from it sends every day's latest report again at once;
// the first such answer does the same for a copy made another way.

// Settings keys: a backup copy's mark, and when every day was last sent again.
const (
	settingFromBackup = "started_from_backup"
	settingResentAll  = "resent_all_at"
)

// resendEvery bounds how often an answer about other figures makes every
// day be sent again.
const resendEvery = 24 * time.Hour

// sendAbove follows an answer saying the branch holds revision
// ans.CurrentRevision of it's day, and, with "stale", its figures. Unless
// those are the outlet's own (and as final), the day is stored again as a
// revision above it. It returns what happened, in words.
func (r *Reporter) sendAbove(ctx context.Context, it *outboxItem, ans pushAnswer) (string, error) {
	s := r.Svc
	var sent models.Report
	if err := json.Unmarshal([]byte(it.Body), &sent); err != nil {
		return "", err
	}
	if ans.Status == OutcomeStale && ans.CurrentFigures == models.FiguresHash(sent) && (ans.CurrentFinal || !sent.Final) {
		return fmt.Sprintf("the branch already holds these figures as revision %d", ans.CurrentRevision), nil
	}
	rep, _, err := s.snapshot(ctx, it.Day, true, ans.CurrentRevision)
	if err != nil {
		return "", err
	}
	note := fmt.Sprintf("%s: the branch held revision %d with other figures (restored from a backup?); "+
		"this outlet's figures were stored again as revision %d and sent", it.Day, ans.CurrentRevision, rep.Revision)
	slog.Warn("reporter: the branch held other figures; sending this outlet's again", "day", it.Day,
		"branch_revision", ans.CurrentRevision, "revision", rep.Revision)
	n, err := s.resendAll(ctx, false)
	if err != nil {
		return "", err
	}
	if n > 0 {
		note += fmt.Sprintf("; the latest report of %d days is being sent again to check them", n)
	}
	return note, s.notice(ctx, note)
}

// resendAll puts the latest delivered revision of every day back in the
// outbox, so that the branch's answers show which days it holds other
// figures of; unless always, at most once per resendEvery. It returns how
// many it queued.
func (s *Service) resendAll(ctx context.Context, always bool) (int64, error) {
	now := s.now().UnixMilli()
	var n int64
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var last int64
		if err := tx.Raw(`SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM settings WHERE key = ?`,
			settingResentAll).Scan(&last).Error; err != nil {
			return err
		}
		if !always && now-last < resendEvery.Milliseconds() {
			return nil
		}
		res := tx.Exec(`UPDATE report_revisions SET outcome = 'pending', attempts = 0, next_attempt_at = 0, last_error = ''
			WHERE outcome IN ('accepted', 'stale')
			AND revision = (SELECT MAX(revision) FROM report_revisions r WHERE r.day = report_revisions.day)`)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return setSetting(tx, settingResentAll, fmt.Sprint(now))
	})
	return n, err
}

// Backup writes a consistent copy of the database to dest (see
// db.Backup), marked as a backup: an outlet started from it sends every
// day again.
func (s *Service) Backup(ctx context.Context, dest string) error {
	if err := s.db.Backup(ctx, dest); err != nil {
		return err
	}
	c, err := db.OpenSQLite(dest)
	if err != nil {
		return err
	}
	err = setSetting(c.Write.WithContext(ctx), settingFromBackup, s.now().UTC().Format(time.RFC3339))
	if cerr := c.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkIfRestored sends every day again when the database is a backup's
// copy, once.
func (s *Service) checkIfRestored(ctx context.Context) error {
	taken, err := s.setting(ctx, settingFromBackup)
	if err != nil || taken == "" {
		return err
	}
	n, err := s.resendAll(ctx, true)
	if err != nil {
		return err
	}
	if err := s.db.Write.WithContext(ctx).Exec(`DELETE FROM settings WHERE key = ?`, settingFromBackup).Error; err != nil {
		return err
	}
	note := fmt.Sprintf("started from a backup taken %s: the latest report of %d days is being sent again, "+
		"so that the branch holds this outlet's figures", taken, n)
	slog.Warn("outlet: started from a backup; sending every day again", "backup_taken", taken, "days", n)
	return s.notice(ctx, note)
}
