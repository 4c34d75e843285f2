package apptest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"harbor/app/db"
	"harbor/config"
)

// PostgresEnv names the environment variable holding the URL of a
// PostgreSQL database the tests may create schemas in, e.g.
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. Unset, the
// PostgreSQL variants of tests skip, unless CI is set: then they fail.
const PostgresEnv = "HARBOR_TEST_POSTGRES"

// ForEachBranchBackend runs fn as the subtests "sqlite" and "postgres",
// each with a fresh validated branch config on that backend.
func ForEachBranchBackend(t *testing.T, fn func(t *testing.T, cfg config.Branch)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, BranchConfig(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, BranchConfigPostgres(t)) })
}

// BranchConfigPostgres returns a validated default branch config whose
// database is a fresh PostgreSQL schema (see PostgresDSN).
func BranchConfigPostgres(tb testing.TB) config.Branch {
	tb.Helper()
	cfg := config.BranchDefaults()
	cfg.DataDir = tb.TempDir()
	cfg.DB = PostgresDSN(tb)
	cfg.BaseURL = "http://branch.test"
	cfg.LogFormat = "text"
	cfg.TrustedProxies = []string{"0.0.0.0", "127.0.0.1"}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// PostgresDSN creates a schema of its own for the test in the database
// named by HARBOR_TEST_POSTGRES and returns a DSN whose search_path is that
// schema, so tests run in parallel without seeing each other. The schema is
// dropped when the test ends.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		Require(tb, "PostgreSQL variants", "set "+PostgresEnv+"=postgres://postgres@127.0.0.1:5432/test?sslmode=disable or another database URL")
	}
	raw := make([]byte, 8)
	rand.Read(raw)
	schema := "harbor_test_" + hex.EncodeToString(raw)
	adminExec(tb, base, `CREATE SCHEMA `+schema)
	tb.Cleanup(func() { adminExec(tb, base, `DROP SCHEMA `+schema+` CASCADE`) })
	return withSearchPath(tb, base, schema)
}

// adminExec runs one statement on the base test database.
func adminExec(tb testing.TB, dsn, sql string) {
	tb.Helper()
	d, err := db.OpenPostgres(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	defer d.Close()
	if err := d.Write.Exec(sql).Error; err != nil {
		tb.Fatalf("%s: %v", sql, err)
	}
}

// withSearchPath adds search_path=schema to a postgres:// URL.
func withSearchPath(tb testing.TB, dsn, schema string) string {
	tb.Helper()
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		tb.Fatalf("%s must be a postgres:// URL, got %q", PostgresEnv, dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("%s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
