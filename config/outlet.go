package config

import (
	"flag"
	"fmt"
	"net"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"harbor/models"
)

// Outlet is the configuration of one outlet server.
type Outlet struct {
	Addr    string
	DataDir string
	// Code, TimeZone and BaseURL are the outlet's serving settings, recorded
	// in its database (app/outlet/settings.go); empty means the recorded
	// one (on a first start: DEMO01, Asia/Shanghai, a URL derived from Addr).
	// A given value that differs from the recorded one is refused unless
	// ChangeSettings. After outlet.Open, the service's Config holds the
	// values in force (Location included).
	Code     string
	Name     string // outlet name; empty keeps the stored one
	TimeZone string
	Location *time.Location `json:"-"`
	// BaseURL is this server's URL as phones on the Wi-Fi and staff reach
	// it; its path, if any, is the prefix of every route (behind a reverse
	// proxy).
	BaseURL string
	// PublicURL is the public gateway's URL QR codes point at, and
	// GatewayURL where this outlet pulls the scans the gateway took
	// (docs/GATEWAY.md); both empty: QR codes point at BaseURL.
	PublicURL  string
	GatewayURL string
	// WiFiSSID and WiFiPassword put a second QR on the station poster
	// that joins the station's Wi-Fi; the password is never logged.
	WiFiSSID     string
	WiFiPassword string `json:"-"`
	DedupeWindow time.Duration
	RatePerMin   int // check-in and feedback posts per client IP per minute
	LogFormat    string
	ProxyHeader  string // e.g. X-Forwarded-For when behind a trusted reverse proxy
	ReportEvery  time.Duration
	TLS          TLS
	// TrustedProxies may set ProxyHeader and X-Forwarded-Proto; requests
	// from anywhere else are taken at their connection's address.
	TrustedProxies []string
	// MaxConnsPerIP bounds the open connections of one client address.
	MaxConnsPerIP int
	// Address and Lat/Lng place the station in the branch's directory;
	// empty keeps what a manager set on the Amenities page. Lat and Lng
	// are decimal degrees, given together.
	Address  string
	Lat, Lng string
	// Serving is set by the server's wiring (app.NewOutlet): the server
	// records the settings it serves with; other commands only read them.
	Serving bool `json:"-"`
	// ChangeSettings lets the server replace a recorded code, time zone
	// or base URL (--change-settings, a server flag only).
	ChangeSettings bool
}

// TLS names a certificate and key to serve HTTPS directly.
type TLS struct {
	CertFile string
	KeyFile  string
}

// Enabled reports whether both files are set.
func (t TLS) Enabled() bool { return t.CertFile != "" && t.KeyFile != "" }

// TLSFlags registers --tls-cert and --tls-key.
func TLSFlags(fs *flag.FlagSet, t *TLS) {
	fs.StringVar(&t.CertFile, "tls-cert", "", "PEM certificate file: serve HTTPS directly (with --tls-key)")
	fs.StringVar(&t.KeyFile, "tls-key", "", "PEM private key file for --tls-cert")
}

// ProxyFlags registers --proxy-header and --trusted-proxies.
func ProxyFlags(fs *flag.FlagSet, header *string, trusted *[]string) {
	fs.StringVar(header, "proxy-header", "", "header carrying the client IP when behind a reverse proxy, e.g. X-Forwarded-For")
	fs.Func("trusted-proxies", "comma-separated IPs or CIDRs of reverse proxies whose --proxy-header and X-Forwarded-Proto are believed (default with --proxy-header: 127.0.0.1,::1)",
		func(v string) error {
			*trusted = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					if net.ParseIP(p) == nil {
						if _, _, err := net.ParseCIDR(p); err != nil {
							return fmt.Errorf("%q is not an IP address or CIDR", p)
						}
					}
					*trusted = append(*trusted, p)
				}
			}
			return nil
		})
}

// OutletCodePattern is what an outlet code may look like: it is part of every
// printed URL, so it stays short and URL-safe.
var OutletCodePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// DataDirFlag adds the --data-dir flag shared by every outlet command.
func DataDirFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "data-dir", "./data", "folder holding the SQLite database and keys")
}

// OutletFlags registers the outlet server's flags on fs, writing into c.
func OutletFlags(fs *flag.FlagSet, c *Outlet) {
	fs.StringVar(&c.Addr, "addr", ":8080", "address to listen on")
	DataDirFlag(fs, &c.DataDir)
	ConfigFileFlag(fs)
	fs.StringVar(&c.Code, "outlet-code", "", "outlet code, e.g. SY001 (default: the recorded one; DEMO01 on a first start)")
	fs.StringVar(&c.Name, "outlet-name", "", "outlet name shown to workers (first start default: a demo name)")
	fs.StringVar(&c.TimeZone, "timezone", "", "IANA time zone that decides each check-in's local day (default: the recorded one; "+DefaultTimeZone+" on a first start)")
	fs.StringVar(&c.BaseURL, "base-url", "", "this server's URL as phones on the Wi-Fi and staff reach it, e.g. http://10.1.2.3:8080, or https://x.example/o/SY001 behind a proxy with a path prefix (default: the recorded one; unless one was given, derived at each server start from --addr and this machine's address)")
	fs.StringVar(&c.PublicURL, "public-url", "", "the public gateway's URL that QR codes point at, e.g. https://harbor.example.cn (with --gateway-url)")
	fs.StringVar(&c.GatewayURL, "gateway-url", "", "where this outlet pulls the gateway's scans, e.g. https://harbor.example.cn:8444 (with --public-url)")
	fs.StringVar(&c.WiFiSSID, "wifi-ssid", "", "the station's Wi-Fi name: the poster gets a second QR code that joins it")
	fs.StringVar(&c.WiFiPassword, "wifi-password", "", "the station's WPA password for --wifi-ssid (empty: an open network); better set as HARBOR_WIFI_PASSWORD")
	fs.DurationVar(&c.DedupeWindow, "dedupe-window", 10*time.Minute, "the same visitor and amenity inside this window counts once")
	fs.IntVar(&c.RatePerMin, "rate-limit", 30, "check-in and feedback posts allowed per client IP per minute")
	fs.StringVar(&c.LogFormat, "log-format", "auto", "log format: json, text, or auto (json when stderr is not a terminal)")
	fs.DurationVar(&c.ReportEvery, "report-interval", time.Minute, "how often the reporter looks for changed days and due deliveries")
	ProxyFlags(fs, &c.ProxyHeader, &c.TrustedProxies)
	MaxConnsFlag(fs, &c.MaxConnsPerIP)
	TLSFlags(fs, &c.TLS)
	fs.StringVar(&c.Address, "outlet-address", "", "station address for the branch's public directory (default: as set on the Amenities page)")
	fs.StringVar(&c.Lat, "outlet-lat", "", "station latitude in decimal degrees, e.g. 32.6295 (with --outlet-lng)")
	fs.StringVar(&c.Lng, "outlet-lng", "", "station longitude in decimal degrees, e.g. 110.7980 (with --outlet-lat)")
}

// DefaultTimeZone is the outlet's time zone on a first start without
// --timezone.
const DefaultTimeZone = "Asia/Shanghai"

// ChangeSettingsFlag registers the server's --change-settings.
func ChangeSettingsFlag(fs *flag.FlagSet, c *Outlet) {
	fs.BoolVar(&c.ChangeSettings, "change-settings", false,
		"replace the recorded outlet code, time zone or base URL with the given --outlet-code, --timezone or --base-url")
}

// Validate checks c and fills Location when a time zone is given. The
// recorded settings fill what was not given when the outlet opens.
func (c *Outlet) Validate() error {
	if c.Code != "" && !OutletCodePattern.MatchString(c.Code) {
		return fmt.Errorf("--outlet-code %q: use 1-32 letters, digits, '-' or '_'", c.Code)
	}
	if len([]rune(c.Name)) > models.ProfileNameMaxChars || !models.PlainText(c.Name) {
		return fmt.Errorf("--outlet-name: at most %d characters, no control characters", models.ProfileNameMaxChars)
	}
	if c.TimeZone != "" {
		loc, err := LoadTimeZone(c.TimeZone)
		if err != nil {
			return err
		}
		c.Location = loc
	}
	if c.DedupeWindow < 0 || c.DedupeWindow > 24*time.Hour {
		return fmt.Errorf("--dedupe-window %s: must be between 0 and 24h", c.DedupeWindow)
	}
	if c.RatePerMin < 1 || c.RatePerMin > 100000 {
		return fmt.Errorf("--rate-limit %d: must be between 1 and 100000", c.RatePerMin)
	}
	if err := checkMaxConns(c.MaxConnsPerIP); err != nil {
		return err
	}
	if c.ReportEvery < 10*time.Millisecond || c.ReportEvery > time.Hour {
		return fmt.Errorf("--report-interval %s: must be between 10ms and 1h", c.ReportEvery)
	}
	if err := checkLogFormat(c.LogFormat); err != nil {
		return err
	}
	if c.DataDir == "" {
		return fmt.Errorf("--data-dir must not be empty")
	}
	if err := checkTLSAndProxies(c.TLS, c.ProxyHeader, &c.TrustedProxies); err != nil {
		return err
	}
	if err := c.checkPlace(); err != nil {
		return err
	}
	if err := c.checkGateway(); err != nil {
		return err
	}
	if c.BaseURL == "" {
		return nil
	}
	return checkBaseURL(&c.BaseURL)
}

// checkGateway checks --public-url, --gateway-url and the Wi-Fi settings.
func (c *Outlet) checkGateway() error {
	if (c.PublicURL == "") != (c.GatewayURL == "") {
		return fmt.Errorf("--public-url and --gateway-url go together: QR codes must not point at a gateway this outlet does not pull from")
	}
	for _, u := range []struct {
		flag string
		v    *string
	}{{"--public-url", &c.PublicURL}, {"--gateway-url", &c.GatewayURL}} {
		if *u.v == "" {
			continue
		}
		if err := checkURL(u.flag, *u.v); err != nil {
			return err
		}
		*u.v = strings.TrimRight(*u.v, "/")
	}
	if len(c.WiFiSSID) > 32 || len(c.WiFiPassword) > 63 || (c.WiFiPassword != "" && len(c.WiFiPassword) < 8) {
		return fmt.Errorf("--wifi-ssid: at most 32 bytes; --wifi-password: 8 to 63 characters, or empty for an open network")
	}
	if c.WiFiPassword != "" && c.WiFiSSID == "" {
		return fmt.Errorf("--wifi-password needs --wifi-ssid")
	}
	return nil
}

// checkPlace checks --outlet-address, --outlet-lat and --outlet-lng.
func (c *Outlet) checkPlace() error {
	if utf8.RuneCountInString(c.Address) > models.AddressMaxChars {
		return fmt.Errorf("--outlet-address: at most %d characters", models.AddressMaxChars)
	}
	if (c.Lat == "") != (c.Lng == "") {
		return fmt.Errorf("--outlet-lat and --outlet-lng go together")
	}
	if c.Lat == "" {
		return nil
	}
	if _, _, err := models.ParseCoordinates(c.Lat, c.Lng); err != nil {
		return fmt.Errorf("--outlet-lat/--outlet-lng %s,%s: %s", c.Lat, c.Lng, strings.TrimPrefix(err.Error(), models.EINVALID+": "))
	}
	return nil
}

// OutletDefaults returns the configuration a bare 'harbor outlet' starts
// with, before validation.
func OutletDefaults() Outlet {
	var c Outlet
	OutletFlags(flag.NewFlagSet("defaults", flag.ContinueOnError), &c)
	return c
}
