package kiosk

import (
	"context"

	"harbor/app/gateway"
	"harbor/app/outlet"
	"harbor/handlers/web"
	"harbor/models"
)

// Station is what the worker pages (Handler) need of the station they serve:
// its profile, its codes checked, its check-ins and feedback recorded. The
// outlet serves its own (an *outlet.Service); the public gateway serves
// every enrolled outlet's from the sheet each sent (a *gateway.Station),
// with the same handlers and templates.
type Station interface {
	Profile() *models.Profile
	EnabledAmenity(code string) (models.Amenity, bool)
	TopAmenities(ctx context.Context) ([]string, error)
	VerifyToken(outlet, amenity, tok string) (outlet.Grant, error)
	// FormTicket is the token the form gets after the lobby screen's code
	// scanned was verified, for amenity ("" the station page).
	FormTicket(amenity, scanned string) string
	CookielessID(c outlet.Client) string
	RecordCheckIn(ctx context.Context, req outlet.CheckInRequest) (outlet.CheckInResult, error)
	SubmitFeedback(ctx context.Context, in outlet.FeedbackInput) error
}

// Stations finds the station of a worker page by outlet code: ENOTFOUND
// for one not served here. "" is the API's check-in without "outlet".
type Stations interface {
	Station(code string) (Station, error)
}

// OutletStations are the one station an outlet serves: its own.
func OutletStations(svc *outlet.Service) Stations { return outletStation{svc} }

// outletStation is the outlet's own station.
type outletStation struct{ *outlet.Service }

// Station is the outlet itself, for its own code or "".
func (s outletStation) Station(code string) (Station, error) {
	if code != "" && code != s.Profile().Code {
		return nil, models.Errorf(models.ENOTFOUND, "no station with code %q here", web.Truncate(code, 40))
	}
	return s, nil
}

// FormTicket is the outlet's own ticket; the code scanned is its own too.
func (s outletStation) FormTicket(amenity, _ string) string { return s.Service.FormTicket(amenity) }

// SubmitFeedback stores a worker's feedback.
func (s outletStation) SubmitFeedback(ctx context.Context, in outlet.FeedbackInput) error {
	_, err := s.Service.SubmitFeedback(ctx, in)
	return err
}

// GatewayStations are the stations the public gateway serves: every
// enrolled outlet's, from the sheet it sent.
func GatewayStations(svc *gateway.Service) Stations { return gatewayStations{svc} }

// gatewayStations are the stations the public gateway serves.
type gatewayStations struct{ svc *gateway.Service }

// Station is the gateway's station of outlet code; the API must name one.
func (g gatewayStations) Station(code string) (Station, error) {
	if code == "" {
		return nil, models.Errorf(models.EINVALID, "name the station: \"outlet\", as in its QR code's address /k/{outlet}")
	}
	st, err := g.svc.Station(code)
	if err != nil {
		return nil, err
	}
	return st, nil
}
