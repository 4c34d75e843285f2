package outlet

import (
	"context"

	"gorm.io/gorm"

	"harbor/models"
)

// MaxAssistedPeople bounds the group size of one assisted visit.
const MaxAssistedPeople = 200

// AssistedRequest is a visit staff record at the counter for someone
// without a phone: no visitor id, each person counts as a check-in and as a
// visitor (see dayTotals).
type AssistedRequest struct {
	Amenities []string
	Category  string
	People    int
	Staff     string // account name that recorded it
}

// RecordAssisted stores an assisted visit on channel "assisted". There is
// no dedupe: staff record what they saw.
func (s *Service) RecordAssisted(ctx context.Context, req AssistedRequest) (CheckInResult, error) {
	amenities, err := s.validateAmenities("", req.Amenities)
	if err != nil {
		return CheckInResult{}, err
	}
	if err := validateCategory(req.Category); err != nil {
		return CheckInResult{}, err
	}
	if req.People < 1 || req.People > MaxAssistedPeople {
		return CheckInResult{}, models.Errorf(models.EINVALID, "人数需在 1 到 %d 之间 / people: 1 to %d", MaxAssistedPeople, MaxAssistedPeople)
	}
	if req.Staff == "" {
		return CheckInResult{}, models.Errorf(models.EUNAUTHORIZED, "no staff account for an assisted visit")
	}
	now := s.now().UTC()
	day, hour := models.LocalDay(now, s.cfg.Location)
	staff := req.Staff
	c := models.CheckIn{At: now.UnixMilli(), Day: day, Hour: hour, Channel: models.ChannelAssisted,
		Category: req.Category, People: req.People, Staff: &staff}
	res := CheckInResult{Day: day, At: now, Channel: models.ChannelAssisted, Category: req.Category,
		Recorded: amenities, Duplicates: []string{}}
	err = s.db.Write.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return insertCheckIn(tx, &c, amenities, &res.ID)
	})
	return res, err
}
