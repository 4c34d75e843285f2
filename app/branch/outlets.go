package branch

import (
	"context"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"harbor/config"
	"harbor/models"
)

// Outlet statuses.
const (
	StatusActive  = "active"
	StatusRevoked = "revoked"
)

// Outlet is one entry of the branch's outlet directory.
type Outlet struct {
	Code          string      `json:"code"`
	Name          string      `json:"name"`
	Group         string      `json:"group"`
	Status        string      `json:"status"`
	Enrolled      bool        `json:"enrolled"`
	CreatedAt     time.Time   `json:"created_at"`
	EnrolledAt    *time.Time  `json:"enrolled_at,omitempty"`
	RevokedAt     *time.Time  `json:"revoked_at,omitempty"`
	LastContactAt *time.Time  `json:"last_contact_at,omitempty"`
	LastReport    *LastReport `json:"last_report,omitempty"`
	// TimeZone is the zone its reports must be in ("" until pinned).
	TimeZone string `json:"timezone,omitempty"`
}

// LastReport is the current report of an outlet's latest reported day.
type LastReport struct {
	Day        string    `json:"day"`
	Revision   int       `json:"revision"`
	Final      bool      `json:"final"`
	ReceivedAt time.Time `json:"received_at"`
}

// AddOutlet registers an outlet and returns its first one-time enrollment
// code; ttl 0 means the configured --enroll-ttl.
func (s *Service) AddOutlet(ctx context.Context, code, name, group string, ttl time.Duration) (EnrollmentCode, error) {
	if !config.OutletCodePattern.MatchString(code) {
		return EnrollmentCode{}, models.Errorf(models.EINVALID, "outlet code %q: use 1-32 letters, digits, '-' or '_'", code)
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 60 || !utf8.ValidString(name) {
		return EnrollmentCode{}, models.Errorf(models.EINVALID, "outlet name: give 1-60 characters")
	}
	if utf8.RuneCountInString(group) > 60 || !utf8.ValidString(group) {
		return EnrollmentCode{}, models.Errorf(models.EINVALID, "group: at most 60 characters")
	}
	var ec EnrollmentCode
	err := s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`INSERT INTO outlets(code, name, grp, status, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT(code) DO NOTHING`, code, name, group, StatusActive, millis(s.now()))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.Errorf(models.ECONFLICT, "outlet %s is already registered; "+
				"'harbor branch outlet code %s' issues a new enrollment code", code, code)
		}
		var err error
		ec, err = s.issueCode(tx, code, ttl)
		return err
	})
	return ec, err
}

// ListOutlets returns every registered outlet, by code, with its latest
// reported day.
func (s *Service) ListOutlets(ctx context.Context) ([]Outlet, error) {
	var rows []struct {
		Code, Name, Grp, Status string
		PublicKey               *string
		CreatedAt               int64
		EnrolledAt, RevokedAt   *int64
		LastContactAt           *int64
		Timezone                *string
		Day                     *string
		Revision                int
		Final                   bool
		ReceivedAt              int64
	}
	err := s.db.Read.WithContext(ctx).Raw(`SELECT o.code, o.name, o.grp, o.status, o.public_key,
		o.created_at, o.enrolled_at, o.revoked_at, o.last_contact_at, o.timezone,
		r.day, COALESCE(r.revision, 0) AS revision, COALESCE(r.final, FALSE) AS final,
		COALESCE(r.received_at, 0) AS received_at
		FROM outlets o
		LEFT JOIN reports r ON r.outlet = o.code
			AND r.day = (SELECT MAX(day) FROM reports WHERE outlet = o.code)
		ORDER BY o.code`).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]Outlet, len(rows))
	for i, r := range rows {
		out[i] = Outlet{Code: r.Code, Name: r.Name, Group: r.Grp, Status: r.Status,
			Enrolled: r.PublicKey != nil, CreatedAt: time.UnixMilli(r.CreatedAt).UTC(),
			EnrolledAt: fromMillis(r.EnrolledAt), RevokedAt: fromMillis(r.RevokedAt),
			LastContactAt: fromMillis(r.LastContactAt)}
		if r.Timezone != nil {
			out[i].TimeZone = *r.Timezone
		}
		if r.Day != nil {
			out[i].LastReport = &LastReport{Day: *r.Day, Revision: r.Revision, Final: r.Final,
				ReceivedAt: time.UnixMilli(r.ReceivedAt).UTC()}
		}
	}
	return out, nil
}

// RevokeOutlet stops accepting the outlet's reports and enrollments; its
// stored reports stay. Revoking twice is not an error.
func (s *Service) RevokeOutlet(ctx context.Context, code string) error {
	defer s.keys.forget(code) // after the commit, so that no lookup caches the key again
	return s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Raw(`SELECT COUNT(*) FROM outlets WHERE code = ?`, code).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.Errorf(models.ENOTFOUND, "no outlet %q is registered", code)
		}
		now := millis(s.now())
		if err := tx.Exec(`UPDATE outlets SET status = ?, revoked_at = ? WHERE code = ? AND status = ?`,
			StatusRevoked, now, code, StatusActive).Error; err != nil {
			return err
		}
		return expireCodes(tx, code, now)
	})
}

// SetOutletTimeZone accepts that outlet code now reports in zone (it
// moved, or its --timezone was wrong when it enrolled): from now on its
// reports in zone are taken and those in any other refused.
func (s *Service) SetOutletTimeZone(ctx context.Context, code, zone string) error {
	if err := checkZone(zone); err != nil {
		return err
	}
	res := s.db.Write.WithContext(ctx).Exec(`UPDATE outlets SET timezone = ? WHERE code = ?`, zone, code)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return models.Errorf(models.ENOTFOUND, "no outlet %q is registered", truncate(code, 40))
	}
	return nil
}

// touch records an authenticated contact from the outlet.
func (s *Service) touch(tx *gorm.DB, code string) error {
	return tx.Exec(`UPDATE outlets SET last_contact_at = ? WHERE code = ?`, millis(s.now()), code).Error
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
