package branch

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"unicode/utf8"

	"harbor/models"
)

// Answers to a push that was not rejected.
const (
	Accepted = "accepted" // stored, or identical to the stored revision
	Stale    = "stale"    // the branch holds a higher revision; stop retrying
)

// Receipt outcomes recorded in report_receipts.
const (
	outcomeStored    = "stored"
	outcomeReplaced  = "replaced"
	outcomeDuplicate = "duplicate"
	outcomeStale     = "stale"
	outcomeConflict  = "conflict"
)

// IngestResult is the branch's answer to a push.
type IngestResult struct {
	Status          string `json:"status"`
	Outlet          string `json:"outlet"`
	Day             string `json:"day"`
	Revision        int    `json:"revision"`
	CurrentRevision int    `json:"current_revision"`
	// CurrentFigures is models.FiguresHash of the revision the branch holds,
	// and CurrentFinal its finality, with a stale answer: the outlet sends
	// its figures again above CurrentRevision when they differ (after a
	// restore).
	CurrentFigures string `json:"current_figures,omitempty"`
	CurrentFinal   bool   `json:"current_final,omitempty"`
}

// Ingest checks a signed push (the X-Harbor-Outlet and X-Harbor-Signature
// header values and the raw body) and stores its report when it is newer
// than the one held for that outlet and day. Rejected pushes store nothing
// but the outlet's last contact time, once the signature is verified. The
// same revision with different content is answered with ECONFLICT.
func (s *Service) Ingest(ctx context.Context, outlet, signature string, body []byte) (IngestResult, error) {
	if len(body) > MaxReportBody {
		return IngestResult{}, models.Errorf(models.ETOOLARGE, "report body is %d bytes; at most %d allowed", len(body), MaxReportBody)
	}
	now := s.now()
	key, err := s.verify(ctx, outlet, signature, body, now)
	if err != nil {
		return IngestResult{}, err
	}
	r, err := parseReport(body, outlet, now)
	if err == nil && !utf8.Valid(body) {
		err = models.Errorf(models.EINVALID, "malformed report: the body is not valid UTF-8")
	}
	if err != nil {
		// Rejections are rare: check the key against the outlets row, not
		// the cache, before recording the contact.
		if stored, kerr := s.loadKey(ctx, outlet); kerr != nil || !stored.Equal(key) {
			s.keys.forget(outlet)
			return IngestResult{}, cmp.Or(kerr, keyChanged())
		}
		if terr := s.touch(s.db.Write.WithContext(ctx), outlet); terr != nil {
			slog.Warn("record outlet contact", "outlet", outlet, "err", terr)
		}
		return IngestResult{}, err
	}
	return s.store(ctx, r, body, key)
}

// store hands a checked report to the writer (ingest_writer.go), which
// applies the revision rules and stores it, and waits for the answer.
func (s *Service) store(ctx context.Context, r models.Report, body []byte, key ed25519.PublicKey) (IngestResult, error) {
	hash, err := contentHash(r)
	if err != nil {
		return IngestResult{}, err
	}
	return s.enqueue(ctx, &pending{r: r, hash: hash, body: body, key: base64.StdEncoding.EncodeToString(key), ev: evidenceOf(r)})
}

// storedRevision is what decides how a push of the same day is answered.
type storedRevision struct {
	Revision    int
	ContentHash string
	FiguresHash string
	Final       bool
}

// revisionOf is the revision held (cur as revisionOutcome takes it), 0 for none.
func revisionOf(cur []storedRevision) int {
	if len(cur) == 0 {
		return 0
	}
	return cur[0].Revision
}

// revisionOutcome applies the revision rules: a higher revision replaces the
// current one (cur, empty when there is none), a lower one is stale, and the
// same one is a duplicate when its content matches, else a conflict.
func revisionOutcome(cur []storedRevision, revision int, hash string) string {
	switch {
	case len(cur) == 0:
		return outcomeStored
	case revision > cur[0].Revision:
		return outcomeReplaced
	case revision < cur[0].Revision:
		return outcomeStale
	case hash == cur[0].ContentHash:
		return outcomeDuplicate
	}
	return outcomeConflict
}

// contentHash hashes the report's figures: the same revision generated
// twice with the same figures is the same content.
func contentHash(r models.Report) (string, error) {
	r.GeneratedAt = ""
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
