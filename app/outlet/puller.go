package outlet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"harbor/app/pull"
	"harbor/app/signing"
	"harbor/models"
)

// Puller pulls, from the public gateway, the scans it took for this
// outlet and applies them here (docs/GATEWAY.md). Each pull is an
// outbound request signed with the outlet's key and carrying the branch's
// credential for that key; the gateway holds it until an item comes (or
// pull.MaxWait), so a scan reaches the Today page within a second or two.
// The pull also carries the station's sheet when the gateway holds another
// one, and the digests of the next live codes. The cursor moves only past
// items applied and committed here.
type Puller struct {
	Svc *Service
	// HTTP sends the pulls (each has its own deadline) and fetches
	// credentials from the branch.
	HTTP *http.Client
	// Wait is how long the gateway may hold a pull (pull.MaxWait).
	Wait time.Duration
	// BackoffBase and BackoffCap shape the waits after failures (1 s, 1 min).
	BackoffBase, BackoffCap time.Duration

	sheet  string    // digest of the sheet the gateway said it holds
	pruned time.Time // when old applied marks were last deleted
}

// NewPuller returns a puller with the default timings.
func NewPuller(svc *Service) *Puller {
	return &Puller{Svc: svc, HTTP: &http.Client{}, Wait: pull.MaxWait, BackoffBase: time.Second, BackoffCap: time.Minute}
}

// Run pulls and applies until ctx is cancelled, backing off after
// failures. Everything it needs to resume is in the database.
func (p *Puller) Run(ctx context.Context) {
	fails := 0
	for ctx.Err() == nil {
		_, err := p.Pull(ctx, p.Wait)
		if err == nil || ctx.Err() != nil {
			fails = 0
			continue
		}
		fails++
		slog.Warn("gateway pull failed", "err", err, "failures", fails)
		if err := p.Svc.setGatewayError(context.WithoutCancel(ctx), err.Error()); err != nil {
			slog.Error("gateway pull: record the failure", "err", err)
		}
		timer := time.NewTimer(fullJitter(p.BackoffBase, p.BackoffCap, fails))
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
		timer.Stop()
	}
}

// PullResult is what one pull did.
type PullResult struct {
	Items    int            // items applied
	Outcomes map[string]int // by outcome (OutcomeRecorded, …)
	More     bool           // the gateway holds more: pull again at once
}

// Pull does one pull, holding up to wait at the gateway while nothing is
// new, and applies what it brings. A change of the station's profile
// meanwhile (replaced posters, say) ends the wait, so that the next pull
// carries the new sheet at once.
func (p *Puller) Pull(ctx context.Context, wait time.Duration) (PullResult, error) {
	s := p.Svc
	if s.cfg.GatewayURL == "" {
		return PullResult{}, errors.New("no --gateway-url: nothing to pull from")
	}
	link, err := s.Link()
	if err != nil {
		return PullResult{}, err
	}
	if link == nil {
		return PullResult{}, errors.New("not enrolled with a branch: the gateway takes the branch's word for this outlet's key; run 'harbor outlet enroll' first")
	}
	cred, err := p.credential(ctx, link)
	if err != nil {
		return PullResult{}, err
	}
	st, err := s.gatewayState(ctx)
	if err != nil {
		return PullResult{}, err
	}
	select {
	case <-s.sheetWake: // a change made before: the sheet built now has it
	default:
	}
	body, err := p.request(ctx, st, wait)
	if err != nil {
		return PullResult{}, err
	}
	h := http.Header{}
	h.Set(signing.OutletHeader, link.Outlet)
	h.Set(signing.SignatureHeader, signing.Sign(link.PrivateKey, s.now(), body))
	h.Set(pull.CredentialHeader, cred)
	ans, woken, err := p.send(ctx, body, h, wait)
	if err != nil || woken {
		return PullResult{}, err
	}
	p.sheet = ans.Sheet
	cursor := st.Cursor
	if ans.Gateway != st.Gateway {
		cursor = 0 // another gateway instance (a new database): its ids start again
	}
	if ans.Purged > cursor {
		slog.Warn("the gateway deleted items this outlet had not applied (a restore from a backup older than the gateway's retention window)",
			"from", cursor+1, "to", ans.Purged)
	}
	n, outcomes, applyErr := s.ApplyItems(ctx, ans.Gateway, ans.Items)
	if n > 0 {
		cursor = ans.Items[n-1].ID
	}
	if err := s.setCursor(context.WithoutCancel(ctx), ans.Gateway, cursor); err != nil {
		return PullResult{}, err
	}
	if now := s.now(); now.Sub(p.pruned) > 24*time.Hour {
		if err := s.pruneApplied(ctx); err != nil {
			return PullResult{}, err
		}
		p.pruned = now
	}
	res := PullResult{Items: n, Outcomes: map[string]int{}, More: ans.More}
	for _, o := range outcomes {
		res.Outcomes[o]++
	}
	return res, applyErr
}

// request is the pull's body: the cursor, and the sheet when the gateway
// holds another one.
func (p *Puller) request(ctx context.Context, st gatewayState, wait time.Duration) ([]byte, error) {
	req := models.PullRequest{Nonce: randomToken(12), Gateway: st.Gateway, Cursor: st.Cursor,
		Wait: int(wait / time.Second), Limit: pull.MaxItems}
	sheet, err := p.Svc.StationSheet(ctx)
	if err != nil {
		return nil, err
	}
	if pull.SheetDigest(&sheet) != p.sheet {
		req.Sheet = &sheet
	}
	live := p.Svc.LiveDigests()
	req.Live = &live
	return json.Marshal(req)
}

// send posts a pull and waits for the answer, or until the profile
// changes (woken).
func (p *Puller) send(ctx context.Context, body []byte, h http.Header, wait time.Duration) (models.PullAnswer, bool, error) {
	rctx, cancel := context.WithTimeout(ctx, wait+30*time.Second)
	defer cancel()
	woken := make(chan struct{})
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-p.Svc.sheetWake:
			close(woken)
			cancel()
		case <-done:
		}
	}()
	var ans models.PullAnswer
	_, err := postJSONUpTo(rctx, p.HTTP, p.Svc.cfg.GatewayURL+pull.Path, body, h, &ans, maxPullAnswer)
	if err != nil {
		select {
		case <-woken:
			return ans, true, nil // the items of an interrupted pull come again: nothing was acknowledged
		default:
			return ans, false, gatewayWords(err)
		}
	}
	return ans, false, nil
}

// maxPullAnswer bounds what is read of a pull's answer: pull.MaxItems
// items of at most 2 KB (a feedback text of 500 characters).
const maxPullAnswer = pull.MaxItems * 2 << 10

// gatewayWords says what went wrong in a pull for the log and staff.
func gatewayWords(err error) error {
	var e *models.Error
	if errors.As(err, &e) {
		return fmt.Errorf("the gateway refused the pull (%s): %s", e.Code, e.Message)
	}
	return fmt.Errorf("cannot reach the gateway: %w", err)
}

// credential is the branch's credential for this outlet's key, fetched
// again once it is pull.CredentialRefresh old; while the branch cannot be
// reached, the one held serves until it expires.
func (p *Puller) credential(ctx context.Context, link *BranchLink) (string, error) {
	s := p.Svc
	st, err := s.gatewayState(ctx)
	if err != nil {
		return "", err
	}
	age := time.Duration(-1)
	if st.Credential != "" && st.CredentialAt != nil {
		age = s.now().Sub(time.UnixMilli(*st.CredentialAt))
	}
	if age >= 0 && age < pull.CredentialRefresh {
		return st.Credential, nil
	}
	cred, err := s.FetchCredential(ctx, link, &http.Client{Timeout: 30 * time.Second, Transport: p.HTTP.Transport})
	if err == nil {
		return cred, s.setCredential(ctx, cred)
	}
	if age >= 0 && age < pull.CredentialTTL {
		slog.Warn("gateway credential: the branch did not answer; the one held serves until it expires", "err", err)
		return st.Credential, nil
	}
	return "", fmt.Errorf("no credential from the branch for the gateway: %w", err)
}
