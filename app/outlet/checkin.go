package outlet

import (
	"context"
	"time"

	"gorm.io/gorm"

	"harbor/models"
)

// MaxAmenitiesPerCheckIn bounds one submission.
const MaxAmenitiesPerCheckIn = 60

// CheckInRequest is a worker's submission from a kiosk page or the API.
type CheckInRequest struct {
	Outlet    string   // outlet code from the URL or body
	Scope     string   // amenity of a sticker page; "" for the station page
	Token     string   // QR token
	Amenities []string // amenity codes ticked; defaults to Scope on a sticker
	Category  string   // optional worker category code
	VisitorID string   // cookie value, see NewVisitorID
}

// CheckInResult says what was stored. Duplicates were already recorded for
// this visitor inside the dedupe window and counted nothing new.
type CheckInResult struct {
	ID         int64     `json:"id,omitempty"`
	Day        string    `json:"day"`
	At         time.Time `json:"at"`
	Channel    string    `json:"channel"`
	Category   string    `json:"category,omitempty"`
	Recorded   []string  `json:"recorded"`
	Duplicates []string  `json:"duplicates"`
}

// RecordCheckIn verifies the token, validates the codes, drops amenities the
// visitor already recorded inside the dedupe window and stores the rest as
// one check-in, in one transaction.
func (s *Service) RecordCheckIn(ctx context.Context, req CheckInRequest) (CheckInResult, error) {
	grant, err := s.VerifyToken(req.Outlet, req.Scope, req.Token)
	if err != nil {
		return CheckInResult{}, err
	}
	amenities, err := s.validateAmenities(grant.Amenity, req.Amenities)
	if err != nil {
		return CheckInResult{}, err
	}
	if err := validateCategory(req.Category); err != nil {
		return CheckInResult{}, err
	}
	if !ValidVisitorID(req.VisitorID) {
		return CheckInResult{}, models.Errorf(models.EINVALID, "missing or malformed visitor id")
	}
	now := s.now().UTC()
	day, hour := models.LocalDay(now, s.cfg.Location)
	res := CheckInResult{Day: day, At: now, Channel: grant.Channel, Category: req.Category,
		Recorded: []string{}, Duplicates: []string{}}

	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		visitor, err := s.visitorHash(tx, day, req.VisitorID)
		if err != nil {
			return err
		}
		var seen []string
		since := now.Add(-s.cfg.DedupeWindow).UnixMilli()
		if s.cfg.DedupeWindow > 0 {
			if err := tx.Raw(`SELECT DISTINCT amenity FROM checkin_amenities
				WHERE visitor = ? AND at > ? AND amenity IN ?`, visitor, since, amenities).Scan(&seen).Error; err != nil {
				return err
			}
		}
		dup := map[string]bool{}
		for _, a := range seen {
			dup[a] = true
		}
		for _, a := range amenities {
			if dup[a] {
				res.Duplicates = append(res.Duplicates, a)
			} else {
				res.Recorded = append(res.Recorded, a)
			}
		}
		if len(res.Recorded) == 0 {
			return nil
		}
		c := models.CheckIn{At: now.UnixMilli(), Day: day, Hour: hour, Channel: grant.Channel,
			Category: req.Category, Visitor: &visitor, People: 1}
		return insertCheckIn(tx, &c, res.Recorded, &res.ID)
	})
	if err != nil {
		return CheckInResult{}, err
	}
	return res, nil
}

// insertCheckIn stores c and one checkin_amenities row per amenity.
func insertCheckIn(tx *gorm.DB, c *models.CheckIn, amenities []string, id *int64) error {
	if err := tx.Create(c).Error; err != nil {
		return err
	}
	rows := make([]models.CheckInAmenity, len(amenities))
	for i, a := range amenities {
		rows[i] = models.CheckInAmenity{CheckInID: c.ID, Amenity: a, Day: c.Day, At: c.At, Visitor: c.Visitor, People: c.People}
	}
	*id = c.ID
	if err := tx.Create(&rows).Error; err != nil {
		return err
	}
	return MarkDirty(tx, c.Day)
}

// validateAmenities checks codes against the enabled amenities, removes
// repeats, and applies a sticker page's scope.
func (s *Service) validateAmenities(scope string, codes []string) ([]string, error) {
	if scope != "" {
		if len(codes) == 0 {
			codes = []string{scope}
		}
		for _, c := range codes {
			if c != scope {
				return nil, models.Errorf(models.EINVALID, "this code is for %q only", scope)
			}
		}
	}
	if len(codes) == 0 {
		return nil, models.Errorf(models.EINVALID, "choose at least one service")
	}
	if len(codes) > MaxAmenitiesPerCheckIn {
		return nil, models.Errorf(models.EINVALID, "too many services in one check-in (at most %d)", MaxAmenitiesPerCheckIn)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, ok := s.EnabledAmenity(c); !ok {
			return nil, models.Errorf(models.EINVALID, "unknown or unavailable service code %q", truncate(c, 40))
		}
		out = append(out, c)
	}
	return out, nil
}

func validateCategory(code string) error {
	if code == "" {
		return nil
	}
	if _, ok := models.CategoryByCode(code); !ok {
		return models.Errorf(models.EINVALID, "unknown worker category %q", truncate(code, 40))
	}
	return nil
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
