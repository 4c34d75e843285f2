package config

import (
	"strings"
	"testing"
)

// TestOutletTimeZoneIsIANA: the outlet's reports carry its time zone, and
// the branch accepts only IANA names, so the outlet refuses the others too.
// No --timezone leaves it to the recorded one (app/outlet/settings.go).
func TestOutletTimeZoneIsIANA(t *testing.T) {
	for _, tz := range []string{"Local", "Mars/Olympus"} {
		c := OutletDefaults()
		c.TimeZone = tz
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "--timezone") {
			t.Errorf("--timezone %q: %v, want a --timezone error", tz, err)
		}
	}
	c := OutletDefaults()
	if err := c.Validate(); err != nil || c.TimeZone != "" || c.Location != nil {
		t.Fatalf("no --timezone: %q %v, %v; want it left to the recorded one", c.TimeZone, c.Location, err)
	}
	c.TimeZone = "Asia/Urumqi"
	if err := c.Validate(); err != nil || c.Location.String() != "Asia/Urumqi" {
		t.Fatalf("--timezone Asia/Urumqi: %v, %v", c.Location, err)
	}
}
