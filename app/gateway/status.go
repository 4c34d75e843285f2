package gateway

import (
	"context"
	"time"
)

// OutletStatus is one outlet as the gateway sees it, for the health check
// and 'harbor gateway outlets'.
type OutletStatus struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"` // from its sheet
	// Pending counts the items it has not acknowledged.
	Pending           int64     `json:"pending"`
	Acked             int64     `json:"acked"`
	LastPull          time.Time `json:"last_pull"`
	CredentialExpires time.Time `json:"credential_expires"`
	// Serving tells whether its pages are served (a sheet, and a
	// credential not expired for longer than the retention window).
	Serving bool `json:"serving"`
}

// Outlets lists the outlets that have pulled, by code.
func (s *Service) Outlets(ctx context.Context) ([]OutletStatus, error) {
	var rows []struct {
		Code                string
		Acked, Pending      int64
		LastPullAt          int64
		CredentialExpiresAt int64
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT o.code, o.acked, o.last_pull_at, o.credential_expires_at,
		(SELECT COUNT(*) FROM inbox i WHERE i.outlet = o.code AND i.id > o.acked) AS pending
		FROM outlets o ORDER BY o.code`).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]OutletStatus, len(rows))
	for i, r := range rows {
		out[i] = OutletStatus{Code: r.Code, Pending: r.Pending, Acked: r.Acked,
			LastPull: time.UnixMilli(r.LastPullAt).UTC(), CredentialExpires: time.UnixMilli(r.CredentialExpiresAt).UTC()}
		if st, err := s.Station(r.Code); err == nil {
			out[i].Name, out[i].Serving = st.Profile().Name, true
		}
	}
	return out, nil
}
