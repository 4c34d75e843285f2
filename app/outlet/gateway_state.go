package outlet

import (
	"context"
	"time"
)

// gatewayState is where this outlet stands with its gateway (table
// gateway_state, migration 0011).
type gatewayState struct {
	Gateway      string // the gateway instance Cursor belongs to
	Cursor       int64  // every item up to it applied
	Credential   string
	CredentialAt *int64
	LastSuccess  *int64
	LastError    string
	LastErrorAt  *int64
}

func (s *Service) gatewayState(ctx context.Context) (gatewayState, error) {
	var st gatewayState
	err := s.db.Read.WithContext(ctx).Raw(`SELECT gateway, cursor, credential, credential_at, last_success,
		last_error, last_error_at FROM gateway_state WHERE id = 1`).Scan(&st).Error
	return st, err
}

// setCursor records that every item of gateway up to cursor is applied.
func (s *Service) setCursor(ctx context.Context, gateway string, cursor int64) error {
	return s.db.Write.WithContext(ctx).Exec(`UPDATE gateway_state SET gateway = ?, cursor = ?, last_success = ?,
		last_error = '' WHERE id = 1`, gateway, cursor, s.now().UnixMilli()).Error
}

func (s *Service) setCredential(ctx context.Context, cred string) error {
	return s.db.Write.WithContext(ctx).Exec(`UPDATE gateway_state SET credential = ?, credential_at = ? WHERE id = 1`,
		cred, s.now().UnixMilli()).Error
}

func (s *Service) setGatewayError(ctx context.Context, msg string) error {
	return s.db.Write.WithContext(ctx).Exec(`UPDATE gateway_state SET last_error = ?, last_error_at = ? WHERE id = 1`,
		msg, s.now().UnixMilli()).Error
}

// keepApplied is how long gateway_applied remembers an item. A pull
// starts after the cursor, which moves only past applied items, so the
// marks matter for the items a lost acknowledgement brings again: minutes
// old. Sixty days keeps far more than that; older marks go once a day.
const keepApplied = 60 * 24 * time.Hour

// pruneApplied forgets the applied marks older than keepApplied.
func (s *Service) pruneApplied(ctx context.Context) error {
	return s.db.Write.WithContext(ctx).Exec(`DELETE FROM gateway_applied WHERE applied_at < ?`,
		s.now().Add(-keepApplied).UnixMilli()).Error
}

// GatewayStatus is the pull's state for the health check and the Today
// page.
type GatewayStatus struct {
	URL         string     `json:"url"`
	Cursor      int64      `json:"cursor"`
	LastSuccess *time.Time `json:"last_success,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	// Applied counts the items applied so far by outcome.
	Applied map[string]int `json:"applied"`
}

// GatewayStatus reports the pull's state; nil when no gateway is set.
func (s *Service) GatewayStatus(ctx context.Context) (*GatewayStatus, error) {
	if s.cfg.GatewayURL == "" {
		return nil, nil
	}
	st, err := s.gatewayState(ctx)
	if err != nil {
		return nil, err
	}
	out := &GatewayStatus{URL: s.cfg.GatewayURL, Cursor: st.Cursor, LastError: st.LastError}
	if st.LastSuccess != nil {
		t := time.UnixMilli(*st.LastSuccess).UTC()
		out.LastSuccess = &t
	}
	out.Applied, err = s.AppliedOutcomes(ctx)
	return out, err
}
