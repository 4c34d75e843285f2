package models

import "time"

// The gateway's pull protocol (docs/GATEWAY.md): the public gateway takes
// workers' scans for every enrolled outlet into a per-outlet inbox; each
// outlet pulls its inbox over signed requests (outbound only), applies
// every item through its normal check-in path and acknowledges with its
// cursor. These are the documents that travel.

// Schemas of the gateway's documents.
const (
	CredentialSchema = "harbor.gateway-credential/v1"
	SheetSchema      = "harbor.sheet/v1"
)

// GatewayCredential is the branch's word that an outlet holds a key: the
// branch signs it with its gateway key, whose public half the gateway is
// configured with, so the gateway knows every enrolled outlet without
// holding any branch secret or enrolling outlets itself. It expires, so a
// revocation at the branch reaches the gateway by then.
type GatewayCredential struct {
	Schema    string    `json:"schema"`
	Outlet    string    `json:"outlet"`
	PublicKey string    `json:"public_key"` // base64 Ed25519 key the outlet signs its pulls with
	TimeZone  string    `json:"timezone"`   // the zone the branch pinned ("" if none yet)
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// StationSheet is what the gateway needs of an outlet to render its worker
// pages and check its codes: the public profile, the enabled amenities in
// order with the top ones, and digests of the valid poster codes. The
// outlet's QR secret never leaves the outlet: the gateway compares a
// scanned code's digest (TokenDigest) with these.
type StationSheet struct {
	Schema        string         `json:"schema"`
	Outlet        string         `json:"outlet"`
	Name          string         `json:"name"`
	TimeZone      string         `json:"timezone"`
	OpeningHours  string         `json:"opening_hours,omitempty"`
	Address       string         `json:"address,omitempty"`
	Latitude      *float64       `json:"lat,omitempty"`
	Longitude     *float64       `json:"lng,omitempty"`
	DedupeSeconds int            `json:"dedupe_seconds"`
	Amenities     []SheetAmenity `json:"amenities"` // enabled, in kiosk order
	Top           []string       `json:"top"`       // shown first on the station page
	PosterVersion int            `json:"poster_version"`
	// Posters holds, for the current poster version and a few before it,
	// the digest of each printed code by scope ("" the station poster, an
	// amenity code its sticker): a code of an earlier version is told
	// "replaced", any other "not valid".
	Posters []PosterDigests `json:"posters"`
}

// SheetAmenity is one enabled amenity of a sheet.
type SheetAmenity struct {
	Code  string `json:"code"`
	ZH    string `json:"zh"`
	EN    string `json:"en"`
	Group string `json:"group"`
	Icon  string `json:"icon"`
}

// PosterDigests are the digests of one poster version's codes by scope.
type PosterDigests struct {
	Version int               `json:"version"`
	Digests map[string]string `json:"digests"`
}

// LiveDigests are the digests of the lobby display's codes for the windows
// From, From+1, …: sent with every pull, so that a scan of the screen can
// be checked at the gateway for the next few minutes.
type LiveDigests struct {
	From    int64    `json:"from"`
	Digests []string `json:"digests"`
}

// PullRequest is the body of an outlet's signed POST /api/v1/pull.
// Cursor acknowledges every item up to it (applied and durable at the
// outlet) and asks for the items after it. Gateway names the gateway
// instance the cursor belongs to: another one's cursor counts from zero.
type PullRequest struct {
	// Nonce makes every pull's body, and so its signature, unique: the
	// gateway refuses a signature it has seen.
	Nonce   string        `json:"nonce"`
	Gateway string        `json:"gateway"`
	Cursor  int64         `json:"cursor"`
	Wait    int           `json:"wait"`  // seconds to hold the request while nothing is new
	Limit   int           `json:"limit"` // most items wanted
	Sheet   *StationSheet `json:"sheet,omitempty"`
	Live    *LiveDigests  `json:"live,omitempty"`
}

// PullAnswer is the gateway's answer to a pull: items after the cursor,
// in order.
type PullAnswer struct {
	Gateway string      `json:"gateway"`
	Items   []InboxItem `json:"items"`
	More    bool        `json:"more"` // more items wait: pull again at once
	// Sheet is the digest of the sheet the gateway holds ("" none): the
	// outlet sends its sheet again when its own differs.
	Sheet string `json:"sheet"`
	// Purged is the last item id deleted after the retention window: a
	// cursor below it has lost the items in between.
	Purged int64 `json:"purged"`
}

// Kinds of inbox items.
const (
	KindCheckIn  = "checkin"
	KindFeedback = "feedback"
)

// InboxItem is one scan or feedback the gateway accepted for an outlet.
// At is when the gateway received it (unix ms): the instant of the scan,
// which decides its day in the outlet's zone.
type InboxItem struct {
	ID       int64         `json:"id"`
	Kind     string        `json:"kind"`
	At       int64         `json:"at"`
	CheckIn  *ItemCheckIn  `json:"checkin,omitempty"`
	Feedback *ItemFeedback `json:"feedback,omitempty"`
}

// ItemCheckIn is a check-in as the gateway took it. Token is the code
// the worker scanned, TokenAt when (after a scan of the lobby screen the
// form is sent minutes later): the outlet checks it again against its own
// secret. Visitor is a daily pseudonym of the gateway's visitor cookie
// (HMAC with a salt of the day), Client one of the client's address; the
// gateway keeps neither the cookie nor the address.
type ItemCheckIn struct {
	Scope      string   `json:"scope,omitempty"`
	Token      string   `json:"token"`
	TokenAt    int64    `json:"token_at"`
	Amenities  []string `json:"amenities"`
	Category   string   `json:"category,omitempty"`
	Visitor    string   `json:"visitor"`
	Cookieless bool     `json:"cookieless,omitempty"`
	Client     string   `json:"client,omitempty"`
}

// ItemFeedback is a worker's feedback as the gateway took it.
type ItemFeedback struct {
	Rating  int    `json:"rating"`
	Amenity string `json:"amenity,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Codes of the gateway's pull API.
const (
	ECREDENTIAL = "bad_credential"     // a credential the branch did not sign, or for another outlet
	ECREDEXPIRE = "credential_expired" // fetch a new one from the branch
	EREPLAY     = "replayed"           // a signed request seen before
)
