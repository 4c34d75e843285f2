package config

import (
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestBranchDefaults(t *testing.T) {
	c := BranchDefaults()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8090" || c.DataDir != "./branch-data" || c.EnrollTTL != 24*time.Hour ||
		c.DBDriver != DriverSQLite || c.DBPath != filepath.Join("branch-data", BranchDBFile) {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestBranchFlagsAndEnv(t *testing.T) {
	var c Branch
	fs := flag.NewFlagSet("branch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	BranchFlags(fs, &c)
	env := map[string]string{"HARBOR_DATA_DIR": "/srv/branch", "HARBOR_ENROLL_TTL": "48h", "HARBOR_ADDR": ":1"}
	if _, err := Parse(fs, []string{"--addr", "127.0.0.1:9000"}, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.DataDir != "/srv/branch" || c.EnrollTTL != 48*time.Hour ||
		c.DBPath != "/srv/branch/branch.db" || c.BaseURL != "http://127.0.0.1:9000" {
		t.Fatalf("parsed: %+v", c)
	}
}

func TestBranchValidate(t *testing.T) {
	cases := []struct {
		edit func(*Branch)
		want string // part of the error; empty for valid
	}{
		{func(c *Branch) { c.DB = "postgres://harbor@db/harbor" }, ""},
		{func(c *Branch) { c.DB = "postgresql://harbor@db/harbor?sslmode=disable" }, ""},
		{func(c *Branch) { c.DB = "postgres://harbor@db" }, "name the database"},
		{func(c *Branch) { c.DB = "postgres://harbor:%zz@db/harbor" }, "valid postgres:// URL"},
		{func(c *Branch) { c.DB = "mysql://x" }, "--db"},
		{func(c *Branch) { c.DB = "sqlite:" }, "sqlite:PATH"},
		{func(c *Branch) { c.DB = "sqlite:/var/lib/harbor/b.db" }, ""},
		{func(c *Branch) { c.DataDir = "" }, "--data-dir"},
		{func(c *Branch) { c.EnrollTTL = 0 }, "--enroll-ttl"},
		{func(c *Branch) { c.EnrollTTL = 31 * 24 * time.Hour }, "--enroll-ttl"},
		{func(c *Branch) { c.LogFormat = "xml" }, "--log-format"},
		{func(c *Branch) { c.BaseURL = "ftp://x" }, "--base-url"},
		{func(c *Branch) { c.BaseURL = "https://branch.example/" }, ""},
		{func(c *Branch) { c.TimeZone = "Mars/Olympus" }, "--timezone"},
		{func(c *Branch) { c.TimeZone = "Local" }, "--timezone"},
		{func(c *Branch) { c.TLS.CertFile = "cert.pem" }, "--tls-cert and --tls-key"},
		{func(c *Branch) { c.TLS = TLS{CertFile: "c.pem", KeyFile: "k.pem"} }, ""},
	}
	for _, tc := range cases {
		c := BranchDefaults()
		tc.edit(&c)
		err := c.Validate()
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: got %v, want %q", c, err, tc.want)
		}
	}
	c := BranchDefaults()
	c.DB = "sqlite:/var/lib/harbor/b.db"
	c.BaseURL = "https://branch.example/"
	if err := c.Validate(); err != nil || c.DBPath != "/var/lib/harbor/b.db" || c.BaseURL != "https://branch.example" {
		t.Fatalf("%v %+v", err, c)
	}
}

func TestBranchPostgres(t *testing.T) {
	c := BranchDefaults()
	c.DB = "postgres://harbor:s3cret@db.example:5432/harbor?sslmode=require"
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.DBDriver != DriverPostgres || c.DBDSN != c.DB || c.DBPath != "" {
		t.Fatalf("postgres: %+v", c)
	}
	if label := c.DBLabel(); strings.Contains(label, "s3cret") || !strings.Contains(label, "db.example:5432/harbor") {
		t.Fatalf("label %q shows the password or hides the database", label)
	}
	c.DB = ""
	if err := c.Validate(); err != nil || c.DBDriver != DriverSQLite || c.DBDSN != "" || c.DBLabel() != c.DBPath {
		t.Fatalf("back to SQLite: %v %+v", err, c)
	}
}

func TestBranchProxyAndTLSFlags(t *testing.T) {
	var c Branch
	fs := flag.NewFlagSet("branch", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	BranchFlags(fs, &c)
	args := []string{"--proxy-header", "X-Forwarded-For", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--timezone", "Asia/Urumqi"}
	if _, err := Parse(fs, args, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.ProxyHeader != "X-Forwarded-For" || strings.Join(c.TrustedProxies, ",") != "127.0.0.1,::1" || !c.TLS.Enabled() ||
		c.Location.String() != "Asia/Urumqi" {
		t.Fatalf("parsed: %+v", c)
	}
	if _, err := Parse(fs, []string{"--trusted-proxies", "10.0.0.0/8,not-an-ip"}, nil); err == nil {
		t.Fatal("a bad --trusted-proxies was accepted")
	}
}
