package outlet

import (
	"context"

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
	amenities, err := s.validateAssisted(req)
	if err != nil {
		return CheckInResult{}, err
	}
	if req.Staff == "" {
		return CheckInResult{}, models.Errorf(models.EUNAUTHORIZED, "no staff account for an assisted visit")
	}
	now := s.now().UTC()
	day, hour := models.LocalDay(now, s.cfg.Location)
	// Through the check-in writer, which keeps the day's counters.
	return s.writer.submit(ctx, &pendingCheckIn{at: now, day: day, hour: hour, channel: models.ChannelAssisted,
		category: req.Category, amenities: amenities, people: req.People, staff: req.Staff})
}

// validateAssisted checks an assisted visit's amenities, category and
// people, and returns the amenity codes to store.
func (s *Service) validateAssisted(req AssistedRequest) ([]string, error) {
	amenities, err := s.validateAmenities("", req.Amenities)
	if err != nil {
		return nil, err
	}
	if err := CheckCategory(req.Category); err != nil {
		return nil, err
	}
	if req.People < 1 || req.People > MaxAssistedPeople {
		return nil, models.Errorf(models.EINVALID, "人数需在 1 到 %d 之间 / people: 1 to %d", MaxAssistedPeople, MaxAssistedPeople)
	}
	return amenities, nil
}
