package config

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Database drivers a branch can use.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// BranchDBFile is the SQLite file name inside the branch's data folder.
const BranchDBFile = "branch.db"

// Branch is the configuration of one branch server.
type Branch struct {
	Addr        string
	DataDir     string
	DB          string // DSN; empty means SQLite file branch.db in DataDir
	BaseURL     string // what outlets reach the branch at; empty derives it from Addr
	EnrollTTL   time.Duration
	LogFormat   string
	ProxyHeader string // e.g. X-Forwarded-For when behind a trusted reverse proxy
	// TrustedProxies may set ProxyHeader and X-Forwarded-Proto; requests
	// from anywhere else are taken at their connection's address.
	TrustedProxies []string
	TLS            TLS
	// MaxConnsPerIP bounds the open connections of one client address.
	MaxConnsPerIP int
	// TimeZone decides the console's days: "yesterday", when a period has
	// closed, and how times are shown.
	TimeZone string
	Location *time.Location `json:"-"`
	// CoverageThreshold is the percentage of its opening hours an outlet
	// must serve on a day; below it the day is partly down and flagged.
	CoverageThreshold int
	// GatewayKey is the file of the key the branch signs its outlets'
	// gateway credentials with (created on first use, mode 0600).
	GatewayKey string

	// Filled by Validate from DB and DataDir.
	DBDriver string `json:"-"`
	DBPath   string `json:"-"` // SQLite file path
	DBDSN    string `json:"-"` // PostgreSQL connection URL
}

// BranchFlags registers the branch server's flags on fs, writing into c.
func BranchFlags(fs *flag.FlagSet, c *Branch) {
	fs.StringVar(&c.Addr, "addr", ":8090", "address to listen on")
	fs.StringVar(&c.DataDir, "data-dir", "./branch-data", "folder holding the branch database")
	ConfigFileFlag(fs)
	fs.StringVar(&c.DB, "db", "", "database: empty for SQLite file "+BranchDBFile+" in --data-dir, sqlite:PATH, or postgres://USER@HOST/DB")
	fs.StringVar(&c.BaseURL, "base-url", "", "public base URL outlets reach this branch at, e.g. https://harbor.branch.example (default: derived from --addr)")
	fs.DurationVar(&c.EnrollTTL, "enroll-ttl", 24*time.Hour, "how long a new outlet's one-time enrollment code stays valid")
	fs.StringVar(&c.LogFormat, "log-format", "auto", "log format: json, text, or auto (json when stderr is not a terminal)")
	fs.StringVar(&c.TimeZone, "timezone", "Asia/Shanghai", "IANA time zone of the console's days (yesterday, period ends) and times")
	fs.IntVar(&c.CoverageThreshold, "coverage-threshold", 80, "percent of its opening hours an outlet must serve on a day; below it the day is partly down and flagged")
	fs.StringVar(&c.GatewayKey, "gateway-key", "", "file with the key that signs outlets' credentials for the public gateway, created on first use (default: gateway.key in --data-dir; give every branch server on one database the same file)")
	ProxyFlags(fs, &c.ProxyHeader, &c.TrustedProxies)
	MaxConnsFlag(fs, &c.MaxConnsPerIP)
	TLSFlags(fs, &c.TLS)
}

// Validate checks c and fills derived fields (DBDriver, DBPath or DBDSN,
// BaseURL, Location, default TrustedProxies, GatewayKey).
func (c *Branch) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("--data-dir must not be empty")
	}
	if err := c.resolveDB(); err != nil {
		return err
	}
	if c.GatewayKey == "" {
		c.GatewayKey = filepath.Join(c.DataDir, "gateway.key")
	}
	if err := ValidateEnrollTTL("--enroll-ttl", c.EnrollTTL); err != nil {
		return err
	}
	if err := checkLogFormat(c.LogFormat); err != nil {
		return err
	}
	if err := checkMaxConns(c.MaxConnsPerIP); err != nil {
		return err
	}
	loc, err := LoadTimeZone(c.TimeZone)
	if err != nil {
		return err
	}
	c.Location = loc
	if c.CoverageThreshold < 1 || c.CoverageThreshold > 100 {
		return fmt.Errorf("--coverage-threshold %d: a percentage from 1 to 100", c.CoverageThreshold)
	}
	if err := checkTLSAndProxies(c.TLS, c.ProxyHeader, &c.TrustedProxies); err != nil {
		return err
	}
	return resolveBaseURL(&c.BaseURL, c.Addr)
}

// resolveDB turns --db into a driver and its parameters.
func (c *Branch) resolveDB() error {
	dsn := strings.TrimSpace(c.DB)
	c.DBPath, c.DBDSN = "", ""
	switch {
	case dsn == "":
		c.DBDriver, c.DBPath = DriverSQLite, filepath.Join(c.DataDir, BranchDBFile)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return fmt.Errorf("--db: not a valid postgres:// URL (%v)", errors.Unwrap(err))
		}
		if strings.Trim(u.Path, "/") == "" {
			return fmt.Errorf("--db %s: name the database, e.g. postgres://harbor@db.example/harbor", u.Redacted())
		}
		c.DBDriver, c.DBDSN = DriverPostgres, dsn
	case strings.HasPrefix(dsn, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
		if p == "" {
			return fmt.Errorf("--db %q: want sqlite:PATH", c.DB)
		}
		c.DBDriver, c.DBPath = DriverSQLite, p
	default:
		return fmt.Errorf("--db %q: want empty (SQLite in --data-dir), sqlite:PATH or postgres://USER@HOST/DB", c.DB)
	}
	return nil
}

// DBLabel names the database for logs and the console: the SQLite file, or
// the PostgreSQL URL with its password hidden.
func (c Branch) DBLabel() string {
	if c.DBDriver != DriverPostgres {
		return c.DBPath
	}
	if u, err := url.Parse(c.DBDSN); err == nil {
		return u.Redacted()
	}
	return "postgres"
}

// ValidateEnrollTTL checks an enrollment code lifetime given by flag name.
func ValidateEnrollTTL(name string, d time.Duration) error {
	if d < time.Minute || d > 30*24*time.Hour {
		return fmt.Errorf("%s %s: must be between 1m and 720h (30 days)", name, d)
	}
	return nil
}

// BranchDefaults returns the configuration a bare 'harbor branch' starts
// with, before validation.
func BranchDefaults() Branch {
	var c Branch
	BranchFlags(flag.NewFlagSet("defaults", flag.ContinueOnError), &c)
	return c
}
