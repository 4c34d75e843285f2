package config

import (
	"crypto/ed25519"
	"encoding/base64"
	"flag"
	"fmt"
	"strings"
)

// Gateway is the configuration of the public gateway (docs/GATEWAY.md):
// it serves workers' pages for every enrolled outlet on one public origin
// and keeps their scans until each outlet pulls them.
type Gateway struct {
	Addr      string // the public listener: worker pages, check-ins, feedback, directory
	PullAddr  string // the outlets' pull listener
	AdminAddr string // health and metrics; keep it on loopback
	DataDir   string
	BaseURL   string // what phones reach the public listener at; its path is the routes' prefix
	// BranchKeys are the public keys of the branches whose credentials
	// this gateway believes (harbor branch gateway-key prints one).
	BranchKeys    []ed25519.PublicKey `json:"-"`
	RatePerMin    int                 // check-in and feedback posts per client IP per minute
	RetentionDays int                 // acknowledged items are kept this long
	LogFormat     string
	ProxyHeader   string
	// TrustedProxies may set ProxyHeader and X-Forwarded-Proto.
	TrustedProxies []string
	TLS            TLS
	MaxConnsPerIP  int // per client address, on the public listener
}

// GatewayDBFile is the gateway's SQLite file inside its data folder.
const GatewayDBFile = "gateway.db"

// GatewayFlags registers the gateway's flags on fs, writing into c.
func GatewayFlags(fs *flag.FlagSet, c *Gateway) {
	fs.StringVar(&c.Addr, "addr", ":8070", "public listener: workers' pages, check-ins, feedback and the directory")
	fs.StringVar(&c.PullAddr, "pull-addr", ":8071", "listener where outlets pull their scans (signed requests only)")
	fs.StringVar(&c.AdminAddr, "admin-addr", "127.0.0.1:8072", "health check and metrics; keep it off the public network")
	fs.StringVar(&c.DataDir, "data-dir", "./gateway-data", "folder holding the gateway's SQLite inbox "+GatewayDBFile)
	ConfigFileFlag(fs)
	fs.StringVar(&c.BaseURL, "base-url", "", "the public URL phones reach this gateway at, e.g. https://harbor.example.cn (default: derived from --addr); a path is a prefix of every route")
	fs.Func("branch-key", "comma-separated base64 public keys of the branches whose outlet credentials are believed (harbor branch gateway-key prints one)",
		func(v string) error {
			c.BranchKeys = nil
			for _, k := range strings.Split(v, ",") {
				if k = strings.TrimSpace(k); k == "" {
					continue
				}
				b, err := base64.StdEncoding.DecodeString(k)
				if err != nil || len(b) != ed25519.PublicKeySize {
					return fmt.Errorf("%q is not a base64 Ed25519 public key", k)
				}
				c.BranchKeys = append(c.BranchKeys, ed25519.PublicKey(b))
			}
			return nil
		})
	fs.IntVar(&c.RatePerMin, "rate-limit", 30, "check-in and feedback posts allowed per client IP per minute")
	fs.IntVar(&c.RetentionDays, "retention-days", 35, "days acknowledged scans are kept, so that an outlet restored from an older backup pulls them again")
	fs.StringVar(&c.LogFormat, "log-format", "auto", "log format: json, text, or auto (json when stderr is not a terminal)")
	ProxyFlags(fs, &c.ProxyHeader, &c.TrustedProxies)
	MaxConnsFlag(fs, &c.MaxConnsPerIP)
	TLSFlags(fs, &c.TLS)
}

// Validate checks c and fills BaseURL and the default trusted proxies.
func (c *Gateway) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("--data-dir must not be empty")
	}
	if len(c.BranchKeys) == 0 {
		return fmt.Errorf("--branch-key: name the public key of at least one branch (harbor branch gateway-key prints it)")
	}
	if c.RatePerMin < 1 || c.RatePerMin > 100000 {
		return fmt.Errorf("--rate-limit %d: must be between 1 and 100000", c.RatePerMin)
	}
	if c.RetentionDays < 1 || c.RetentionDays > 366 {
		return fmt.Errorf("--retention-days %d: must be between 1 and 366", c.RetentionDays)
	}
	if c.Addr == "" || c.PullAddr == "" || c.AdminAddr == "" {
		return fmt.Errorf("--addr, --pull-addr and --admin-addr must not be empty")
	}
	if err := checkLogFormat(c.LogFormat); err != nil {
		return err
	}
	if err := checkMaxConns(c.MaxConnsPerIP); err != nil {
		return err
	}
	if err := checkTLSAndProxies(c.TLS, c.ProxyHeader, &c.TrustedProxies); err != nil {
		return err
	}
	return resolveBaseURL(&c.BaseURL, c.Addr)
}

// GatewayDefaults returns the configuration a bare 'harbor gateway' starts
// with, before validation.
func GatewayDefaults() Gateway {
	var c Gateway
	GatewayFlags(flag.NewFlagSet("defaults", flag.ContinueOnError), &c)
	return c
}
