package outlet

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"time"

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
	VisitorID string   // cookie value (see NewVisitorID), or CookielessID's
	// Cookieless: the request came without the visitor cookie, and
	// VisitorID is CookielessID's for its client.
	Cookieless bool
	Client     Client // where the request came from
}

// Client is the address and browser a check-in came from. Neither leaves
// the outlet nor is stored as such: a check-in without the visitor cookie
// gets a visitor id made from the two (CookielessID), and the address,
// hashed with the day's salt, counts the day's check-ins per address
// (docs/EVIDENCE.md).
type Client struct {
	Addr, UserAgent string
}

// CookielessID is the visitor id of a check-in that came without the
// visitor cookie: HMAC(outlet secret, today, address, browser), so that
// the same phone inside the dedupe window is deduplicated and counts as
// one visitor of the day. Handlers set it as the cookie, so that a phone
// that keeps it stays the same visitor. It changes every day.
func (s *Service) CookielessID(c Client) string {
	day, _ := models.LocalDay(s.now(), s.cfg.Location)
	h := hmac.New(sha256.New, s.secret)
	h.Write([]byte("cookieless\x00" + day + "\x00" + c.Addr + "\x00" + c.UserAgent))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16])
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
// one check-in. Validation runs in the caller's goroutine; storing goes
// through the group-commit writer (writer.go), which answers only after
// the check-in's transaction committed.
func (s *Service) RecordCheckIn(ctx context.Context, req CheckInRequest) (CheckInResult, error) {
	grant, err := s.VerifyToken(req.Outlet, req.Scope, req.Token)
	if err != nil {
		return CheckInResult{}, err
	}
	amenities, err := s.validateAmenities(grant.Amenity, req.Amenities)
	if err != nil {
		return CheckInResult{}, err
	}
	if err := CheckCategory(req.Category); err != nil {
		return CheckInResult{}, err
	}
	if !ValidVisitorID(req.VisitorID) {
		return CheckInResult{}, models.Errorf(models.EINVALID, "missing or malformed visitor id")
	}
	now := s.now().UTC()
	local := now.In(s.cfg.Location)
	day, hour := models.LocalDay(now, s.cfg.Location)
	open, known := s.Profile().Hours.OpenAt(local)
	return s.writer.submit(ctx, &pendingCheckIn{at: now, day: day, hour: hour, channel: grant.Channel,
		category: req.Category, visitorID: req.VisitorID, amenities: amenities, people: 1,
		minute: hour*60 + local.Minute(), cookieless: req.Cookieless, offHours: known && !open, addr: req.Client.Addr})
}

// splitDuplicates sorts p's amenities into recorded and duplicates: those
// the visitor recorded inside the dedupe window before.
func (s *Service) splitDuplicates(p *pendingCheckIn, past []visit) {
	since := p.at.Add(-s.cfg.DedupeWindow).UnixMilli()
	for _, a := range p.amenities {
		if s.cfg.DedupeWindow > 0 && slices.ContainsFunc(past, func(v visit) bool { return v.amenity == a && v.at > since }) {
			p.res.Duplicates = append(p.res.Duplicates, a)
		} else {
			p.res.Recorded = append(p.res.Recorded, a)
		}
	}
}

// validateAmenities checks codes against the enabled amenities (see
// CheckAmenities).
func (s *Service) validateAmenities(scope string, codes []string) ([]string, error) {
	return CheckAmenities(s.Profile(), scope, codes)
}

// CheckAmenities checks the amenity codes of a check-in at the station of
// profile p: each enabled there, one at least and at most
// MaxAmenitiesPerCheckIn, only scope's on a sticker page (none ticked
// there means scope's). It returns them without repeats, as p names them.
func CheckAmenities(p *models.Profile, scope string, codes []string) ([]string, error) {
	if scope != "" {
		if len(codes) == 0 {
			codes = []string{scope}
		}
		for _, c := range codes {
			if c != scope {
				return nil, models.Errorf(models.EINVALID, "此码只能登记 %q / this code is for %q only", scope, scope)
			}
		}
	}
	if len(codes) == 0 {
		return nil, models.Errorf(models.EINVALID, "请至少选择一项服务 / choose at least one service")
	}
	if len(codes) > MaxAmenitiesPerCheckIn {
		return nil, models.Errorf(models.EINVALID, "一次最多登记 %d 项服务 / at most %d services in one check-in", MaxAmenitiesPerCheckIn, MaxAmenitiesPerCheckIn)
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if seen[c] {
			continue
		}
		seen[c] = true
		i := slices.IndexFunc(p.Amenities, func(a models.Amenity) bool { return a.Code == c })
		if i < 0 {
			return nil, models.Errorf(models.EINVALID, "没有这项服务或已停用：%q / unknown or unavailable service code %q", truncate(c, 40), truncate(c, 40))
		}
		out = append(out, p.Amenities[i].Code) // the profile's copy, not the request's: the writer keeps it for the day
	}
	return out, nil
}

// CheckCategory checks a worker category code ("" none chosen).
func CheckCategory(code string) error {
	if code == "" {
		return nil
	}
	if _, ok := models.CategoryByCode(code); !ok {
		return models.Errorf(models.EINVALID, "没有这个人群类别：%q / unknown worker category %q", truncate(code, 40), truncate(code, 40))
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
