package gateway

import (
	"context"
	"encoding/json"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"harbor/app/outlet"
	"harbor/models"
)

// stationSet holds every outlet the gateway knows, by code.
type stationSet struct {
	mu     sync.RWMutex
	byCode map[string]*outletState
}

// outletState is one outlet at the gateway: its sheet's view, the digests
// of its lobby display's next codes (from its latest pull), until when its
// pages are served, and the recent visits the success page tells
// duplicates by.
type outletState struct {
	code        string
	view        atomic.Pointer[stationView]
	live        atomic.Pointer[models.LiveDigests]
	servesUntil atomic.Int64 // unix ms: its newest credential's expiry plus the retention window
	issued      atomic.Int64 // unix ms: when its newest credential was issued
	purged      atomic.Int64 // the last item id deleted after the retention window
	recent      recentVisits
}

func (set *stationSet) get(code string) *outletState {
	set.mu.RLock()
	defer set.mu.RUnlock()
	return set.byCode[code]
}

// getOrAdd returns the outlet's state, adding it when new.
func (set *stationSet) getOrAdd(code string) *outletState {
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.byCode == nil {
		set.byCode = map[string]*outletState{}
	}
	o := set.byCode[code]
	if o == nil {
		o = &outletState{code: code}
		set.byCode[code] = o
	}
	return o
}

// all lists the outlets by code.
func (set *stationSet) all() []*outletState {
	set.mu.RLock()
	out := make([]*outletState, 0, len(set.byCode))
	for _, o := range set.byCode {
		out = append(out, o)
	}
	set.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out
}

// loadStations reads the outlets and their sheets as the gateway starts,
// and the visits of the last day, so that duplicates are told after a
// restart as before it.
func (s *Service) loadStations(ctx context.Context) error {
	var rows []struct {
		Code                string
		Sheet               *string
		SheetAt             *int64
		CredentialIssuedAt  int64
		CredentialExpiresAt int64
		Purged              int64
	}
	if err := s.db.Read.WithContext(ctx).Raw(`SELECT code, sheet, sheet_at, credential_issued_at, credential_expires_at, purged
		FROM outlets`).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		o := s.stations.getOrAdd(r.Code)
		o.servesUntil.Store(r.CredentialExpiresAt + s.retention().Milliseconds())
		o.issued.Store(r.CredentialIssuedAt)
		o.purged.Store(r.Purged)
		if r.Sheet == nil {
			continue
		}
		var sh models.StationSheet
		if err := json.Unmarshal([]byte(*r.Sheet), &sh); err != nil {
			return err
		}
		v, err := newView(r.Code, &sh, *r.SheetAt)
		if err != nil {
			return err
		}
		o.view.Store(v)
	}
	return s.loadRecent(ctx)
}

// Station is the worker pages' station of outlet code (kiosk.Station):
// ENOTFOUND for an outlet this gateway has no sheet of, or one whose
// credential has been expired for longer than the retention window.
func (s *Service) Station(code string) (*Station, error) {
	o := s.stations.get(code)
	if o == nil || o.view.Load() == nil || s.now().UnixMilli() >= o.servesUntil.Load() {
		return nil, models.Errorf(models.ENOTFOUND, "no station with code %q here", truncate(code, 40))
	}
	return &Station{s: s, o: o, v: o.view.Load()}, nil
}

// Station serves one outlet's worker pages at the gateway, from the sheet
// it sent: the same pages as the outlet's own (kiosk.Handler), whose
// check-ins and feedback go into the outlet's inbox.
type Station struct {
	s *Service
	o *outletState
	v *stationView // the sheet as the request began
}

// Profile is the station's profile as its sheet gave it.
func (st *Station) Profile() *models.Profile { return st.v.profile }

// EnabledAmenity returns the enabled amenity with the given code.
func (st *Station) EnabledAmenity(code string) (models.Amenity, bool) {
	for _, a := range st.v.profile.Amenities {
		if a.Code == code {
			return a, true
		}
	}
	return models.Amenity{}, false
}

// TopAmenities are the amenities the station page shows first, as the
// outlet ranked them.
func (st *Station) TopAmenities(context.Context) ([]string, error) { return st.v.top, nil }

// localDay is the outlet's local day at t.
func (st *Station) localDay(t time.Time) string {
	day, _ := models.LocalDay(t, st.v.loc)
	return day
}

// RecordCheckIn takes a worker's check-in as the outlet would: the code
// checked (against the sheet's digests), the amenities and category
// validated, duplicates inside the outlet's dedupe window told; what is
// new goes into the outlet's inbox and is on disk before this returns.
// The result's ID is the inbox item's.
func (st *Station) RecordCheckIn(ctx context.Context, req outlet.CheckInRequest) (outlet.CheckInResult, error) {
	grant, sc, err := st.verify(req.Outlet, req.Scope, req.Token)
	if err != nil {
		return outlet.CheckInResult{}, err
	}
	amenities, err := outlet.CheckAmenities(st.v.profile, grant.Amenity, req.Amenities)
	if err != nil {
		return outlet.CheckInResult{}, err
	}
	if err := outlet.CheckCategory(req.Category); err != nil {
		return outlet.CheckInResult{}, err
	}
	if !outlet.ValidVisitorID(req.VisitorID) {
		return outlet.CheckInResult{}, models.Errorf(models.EINVALID, "missing or malformed visitor id")
	}
	now := st.s.now().UTC()
	day := st.localDay(now)
	visitor, client, err := st.s.salts.pseudonyms(day, st.o.code, req.VisitorID, req.Client.Addr)
	if err != nil {
		return outlet.CheckInResult{}, err
	}
	res := outlet.CheckInResult{Day: day, At: now, Channel: grant.Channel, Category: req.Category}
	res.Recorded, res.Duplicates = st.o.recent.split(visitor, amenities, now, st.v.dedupe)
	if len(res.Recorded) == 0 {
		return res, nil
	}
	item := models.InboxItem{Kind: models.KindCheckIn, At: now.UnixMilli(), CheckIn: &models.ItemCheckIn{
		Scope: req.Scope, Token: sc.token, TokenAt: sc.at.UnixMilli(), Amenities: res.Recorded,
		Category: req.Category, Visitor: visitor, Cookieless: req.Cookieless, Client: client}}
	if res.ID, err = st.s.inbox.add(ctx, st.o.code, now, item); err != nil {
		return outlet.CheckInResult{}, err
	}
	st.o.recent.remember(visitor, res.Recorded, now)
	return res, nil
}

// SubmitFeedback takes a worker's feedback into the outlet's inbox.
func (st *Station) SubmitFeedback(ctx context.Context, in outlet.FeedbackInput) error {
	in, err := outlet.CheckFeedback(st.v.profile, in)
	if err != nil {
		return err
	}
	now := st.s.now().UTC()
	item := models.InboxItem{Kind: models.KindFeedback, At: now.UnixMilli(),
		Feedback: &models.ItemFeedback{Rating: in.Rating, Amenity: in.Amenity, Text: in.Text}}
	_, err = st.s.inbox.add(ctx, st.o.code, now, item)
	return err
}
