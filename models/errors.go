package models

import (
	"errors"
	"fmt"
)

// Error codes shared by every role. Each maps to one HTTP status in
// web.StatusOf (handlers/web), and the outlet's push client maps branch
// answers back to these codes.
const (
	EINVALID      = "invalid"        // malformed or out-of-range input
	ENOTFOUND     = "not_found"      // unknown outlet, amenity, page
	ECONFLICT     = "conflict"       // state does not allow it
	EUNAUTHORIZED = "unauthorized"   // not logged in, bad signature
	EFORBIDDEN    = "forbidden"      // logged in but not allowed
	ETOKEN        = "bad_token"      // forged, truncated or other-outlet QR token
	EREPLACED     = "token_replaced" // poster version revoked
	EEXPIRED      = "token_expired"  // live QR code too old
	ERATELIMIT    = "rate_limited"
	ETOOLARGE     = "too_large"
	EMEDIATYPE    = "unsupported_media_type"
	EMETHOD       = "method_not_allowed"
	ETIMEOUT      = "timeout"     // the request did not arrive in time
	EUNAVAILABLE  = "unavailable" // database or dependency down
	EBADSIG       = "bad_signature"
	ESKEW         = "clock_skew"
	EINTERNAL     = "internal"
)

// Error is the one error type handlers turn into HTTP answers. Message is
// safe to show to the client; anything else is logged and reported as
// "internal error".
type Error struct {
	Code    string
	Message string
	// RetryAfter, in seconds, is sent for rate limits.
	RetryAfter int
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err if it is an *Error, else EINTERNAL.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// Codes of the branch's enrollment and report ingest, so that an outlet can
// tell what to fix from the code alone.
const (
	EUNKNOWNOUTLET = "unknown_outlet"     // no outlet with that code is registered
	ENOTENROLLED   = "not_enrolled"       // registered, but no key enrolled yet
	EREVOKED       = "outlet_revoked"     // the branch no longer accepts this outlet
	EMISMATCH      = "outlet_mismatch"    // one outlet reporting for another's code
	EFUTUREDAY     = "future_day"         // a day that has not begun in the report's time zone
	ESCHEMA        = "unsupported_schema" // a report schema this branch does not know
	EENROLLUSED    = "enrollment_used"    // the one-time enrollment code was already used
	EENROLLEXPIRED = "enrollment_expired" // the enrollment code is past its expiry
	ETZMISMATCH    = "timezone_mismatch"  // a report in another time zone than the outlet enrolled with
)
