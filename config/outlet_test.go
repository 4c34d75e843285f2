package config

import (
	"strings"
	"testing"
)

// TestOutletTimeZoneIsIANA: the outlet's reports carry its time zone, and
// the branch accepts only IANA names, so the outlet refuses the others too.
func TestOutletTimeZoneIsIANA(t *testing.T) {
	for _, tz := range []string{"", "Local", "Mars/Olympus"} {
		c := OutletDefaults()
		c.TimeZone = tz
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "--timezone") {
			t.Errorf("--timezone %q: %v, want a --timezone error", tz, err)
		}
	}
	c := OutletDefaults()
	if err := c.Validate(); err != nil || c.Location.String() != "Asia/Shanghai" {
		t.Fatalf("default: %v, %v", c.Location, err)
	}
}
