package gateway

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"time"

	"gorm.io/gorm"

	"harbor/app/pull"
	"harbor/app/signing"
	"harbor/models"
)

// SignedPull is a pull as it arrived: the outlet it names, its signature
// and credential headers, and the raw body they sign.
type SignedPull struct {
	Outlet, Signature, Credential string
	Body                          []byte
}

// Pull answers an outlet's pull (app/pull). Nothing is read or stored
// before the pull proves itself: a credential one of the trusted branches
// signed, unexpired and for the outlet it names, no older than the newest
// one seen for it; the outlet's signature over the body with the key the
// credential names, within the clock skew allowed; a signature not seen
// before (checked and recorded in the transaction that stores the pull).
// Then the sheet is kept if sent, everything up to the cursor counts as
// acknowledged, and the items after it are answered, the pull held up to
// its wait while there are none.
func (s *Service) Pull(ctx context.Context, in SignedPull) (models.PullAnswer, error) {
	now := s.now()
	cred, key, err := pull.ReadCredential(in.Credential, s.cfg.BranchKeys, now)
	if err != nil {
		return models.PullAnswer{}, err
	}
	if cred.Outlet != in.Outlet {
		return models.PullAnswer{}, models.Errorf(models.ECREDENTIAL, "the credential is for outlet %q, not %q", cred.Outlet, truncate(in.Outlet, 40))
	}
	if err := signing.Verify(key, in.Signature, in.Body, now); err != nil {
		return models.PullAnswer{}, err
	}
	o := s.stations.get(cred.Outlet)
	if o != nil && cred.IssuedAt.UnixMilli() < o.issued.Load() {
		return models.PullAnswer{}, models.Errorf(models.ECREDENTIAL, "the branch has issued a newer credential for %s: fetch it", cred.Outlet)
	}
	var req models.PullRequest
	dec := json.NewDecoder(bytes.NewReader(in.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return models.PullAnswer{}, models.Errorf(models.EINVALID, "malformed pull: %s", models.JSONProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return models.PullAnswer{}, models.Errorf(models.EINVALID, "malformed pull: unexpected data after the object")
	}
	o, err = s.takePull(ctx, cred, key, in.Signature, &req)
	if err != nil {
		return models.PullAnswer{}, err
	}
	cursor := req.Cursor
	if req.Gateway != s.id {
		cursor = 0 // a cursor of another gateway instance
	}
	wait := min(time.Duration(max(req.Wait, 0))*time.Second, pull.MaxWait)
	items, more, err := s.waitForItems(ctx, o.code, cursor, min(max(req.Limit, 1), pull.MaxItems), wait)
	if err != nil {
		return models.PullAnswer{}, err
	}
	ans := models.PullAnswer{Gateway: s.id, Items: items, More: more, Purged: o.purged.Load()}
	if v := o.view.Load(); v != nil {
		ans.Sheet = v.digest
	}
	return ans, nil
}

// takePull stores what a proven pull brings: the outlet as the credential
// names it, its sheet when sent, its acknowledgement, and the digests of
// its screen's next codes, in one transaction with the pull's signature
// (refused when seen before: firstUse).
func (s *Service) takePull(ctx context.Context, cred models.GatewayCredential, key []byte, signature string, req *models.PullRequest) (*outletState, error) {
	var view *stationView
	var sheet *string
	if req.Sheet != nil {
		v, err := newView(cred.Outlet, req.Sheet, s.now().UnixMilli())
		if err != nil {
			return nil, err
		}
		b, _ := json.Marshal(req.Sheet)
		view, sheet = v, new(string)
		*sheet = string(b)
	}
	if req.Live != nil {
		if err := checkLive(req.Live); err != nil {
			return nil, err
		}
	}
	if req.Cursor < 0 || req.Limit < 0 {
		return nil, models.Errorf(models.EINVALID, "cursor and limit must not be negative")
	}
	acked := int64(0)
	if req.Gateway == s.id {
		acked = req.Cursor
	}
	zone := cred.TimeZone
	if zone == "" && req.Sheet != nil {
		zone = req.Sheet.TimeZone
	}
	at := s.now()
	now := at.UnixMilli()
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if first, err := s.firstUse(tx, signature, at); err != nil {
			return err
		} else if !first {
			return models.Errorf(models.EREPLAY, "this signed pull was sent before: each pull is signed anew")
		}
		return tx.Exec(`INSERT INTO outlets(code, public_key, timezone, credential_issued_at,
		credential_expires_at, sheet, sheet_at, acked, first_pull_at, last_pull_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(code) DO UPDATE SET public_key = excluded.public_key, timezone = excluded.timezone,
		credential_issued_at = excluded.credential_issued_at, credential_expires_at = excluded.credential_expires_at,
		sheet = COALESCE(excluded.sheet, outlets.sheet), sheet_at = COALESCE(excluded.sheet_at, outlets.sheet_at),
		acked = MAX(outlets.acked, excluded.acked), last_pull_at = excluded.last_pull_at`,
			cred.Outlet, base64.StdEncoding.EncodeToString(key), zone, cred.IssuedAt.UnixMilli(), cred.ExpiresAt.UnixMilli(),
			sheet, sheetAt(sheet, now), acked, now, now).Error
	})
	if err != nil {
		return nil, err
	}
	o := s.stations.getOrAdd(cred.Outlet)
	o.issued.Store(max(o.issued.Load(), cred.IssuedAt.UnixMilli()))
	o.servesUntil.Store(cred.ExpiresAt.UnixMilli() + s.retention().Milliseconds())
	if view != nil {
		o.view.Store(view)
	}
	if req.Live != nil {
		o.live.Store(req.Live)
	}
	return o, nil
}

func sheetAt(sheet *string, now int64) *int64 {
	if sheet == nil {
		return nil
	}
	return &now
}

// waitForItems reads the items after cursor; while there are none it
// waits up to wait for one, or for the gateway to stop.
func (s *Service) waitForItems(ctx context.Context, code string, cursor int64, limit int, wait time.Duration) ([]models.InboxItem, bool, error) {
	woken := s.waiters.wait(code)
	items, more, err := s.itemsAfter(ctx, code, cursor, limit)
	if err != nil || len(items) > 0 || wait <= 0 {
		return items, more, err
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-woken:
	case <-timer.C:
		return items, false, nil
	case <-s.stopping:
		return items, false, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	return s.itemsAfter(ctx, code, cursor, limit)
}

// firstUse records a proven pull's signature and reports whether it was
// new. The signatures are stored until the clock check would refuse their
// pulls anyway, so a pull captured and sent again is refused after a
// restart of the gateway too; once a minute the expired ones are deleted.
// w is the writer, or a transaction on it.
func (s *Service) firstUse(w *gorm.DB, signature string, now time.Time) (bool, error) {
	ms := now.UnixMilli()
	if last := s.signaturesSwept.Load(); ms-last > time.Minute.Milliseconds() && s.signaturesSwept.CompareAndSwap(last, ms) {
		if err := w.Exec(`DELETE FROM pull_signatures WHERE expires_at < ?`, ms).Error; err != nil {
			return false, err
		}
	}
	digest := sha256.Sum256([]byte(signature))
	res := w.Exec(`INSERT INTO pull_signatures(digest, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
		hex.EncodeToString(digest[:]), ms+(2*signing.MaxSkew).Milliseconds())
	return res.RowsAffected == 1, res.Error
}
