package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"harbor/app"
	"harbor/app/db"
	"harbor/config"
)

// branchServer is a real branch (app.NewBranch) serving on loopback in this
// process, on SQLite in a temporary folder or on a PostgreSQL schema of
// its own; ingest and queries use it.
type branchServer struct {
	Branch  *app.Branch
	URL     string // http://127.0.0.1:PORT
	Backend string // "sqlite" or "postgres"
	Logs    *logCounter

	dir    string
	schema string // PostgreSQL: the schema of this run, dropped by stop unless keep
	keep   bool
	baseDB string // PostgreSQL: the DSN given, where the schema lives
	cancel context.CancelFunc
	done   chan error
}

// startBranch opens a branch on a fresh database: SQLite when dsn is
// empty, else a new schema in the PostgreSQL database dsn names, dropped
// by stop. opts.schema reuses an existing schema instead (one left by
// opts.keep), opts.keep leaves the schema in place. now is the branch's
// clock (nil: time.Now). The branch logs every request as JSON, as in
// production; lines are counted, not kept.
func startBranch(dsn string, opts schemaOpts, now func() time.Time) (*branchServer, error) {
	dir, err := os.MkdirTemp("", "harbor-bench-branch-")
	if err != nil {
		return nil, err
	}
	s := &branchServer{dir: dir, Backend: config.DriverSQLite, Logs: &logCounter{}, done: make(chan error, 1)}
	slog.SetDefault(slog.New(slog.NewJSONHandler(s.Logs, nil)))
	cfg := config.BranchDefaults()
	cfg.DataDir, cfg.LogFormat = dir, "json"
	cfg.Addr, cfg.BaseURL = "127.0.0.1:0", "http://127.0.0.1"
	if dsn != "" {
		s.Backend, s.baseDB = config.DriverPostgres, dsn
		s.schema, s.keep = opts.schema, opts.keep
		if s.schema == "" {
			raw := make([]byte, 6)
			rand.Read(raw)
			s.schema = "harbor_bench_" + hex.EncodeToString(raw)
			if err := pgExec(dsn, `CREATE SCHEMA `+s.schema); err != nil {
				os.RemoveAll(dir)
				return nil, err
			}
		}
		if cfg.DB, err = withSchema(dsn, s.schema); err != nil {
			s.dropSchema()
			return nil, err
		}
	}
	if err := cfg.Validate(); err != nil {
		s.cleanup()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	if s.Branch, err = app.NewBranch(ctx, cfg, now); err != nil {
		cancel()
		s.cleanup()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.stop()
		return nil, err
	}
	s.URL = "http://" + ln.Addr().String()
	go func() { s.done <- s.Branch.Run(ctx, ln) }()
	return s, waitHealthy(s.URL+"/healthz", 10*time.Second)
}

// stop shuts the branch down, closes its database and removes what the
// run created: the temporary folder and the PostgreSQL schema.
func (s *branchServer) stop() error {
	s.cancel()
	var err error
	if s.URL != "" {
		err = <-s.done
	}
	if cerr := s.Branch.Close(); err == nil {
		err = cerr
	}
	s.cleanup()
	return err
}

func (s *branchServer) cleanup() {
	s.dropSchema()
	os.RemoveAll(s.dir)
}

func (s *branchServer) dropSchema() {
	if s.schema == "" {
		return
	}
	if s.keep {
		fmt.Printf("kept PostgreSQL schema %s (reuse it with -schema %s; drop it with DROP SCHEMA %s CASCADE)\n",
			s.schema, s.schema, s.schema)
		return
	}
	if err := pgExec(s.baseDB, `DROP SCHEMA `+s.schema+` CASCADE`); err != nil {
		fmt.Fprintf(os.Stderr, "bench: drop schema %s: %v (drop it by hand)\n", s.schema, err)
	}
	s.schema = ""
}

// schemaOpts say which PostgreSQL schema a run uses and whether it stays.
type schemaOpts struct {
	schema string // reuse this existing schema
	keep   bool   // do not drop the schema at the end
}

// pgExec runs one statement on the PostgreSQL database dsn.
func pgExec(dsn, sql string) error {
	d, err := db.OpenPostgres(dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Write.Exec(sql).Error
}

// withSchema adds search_path=schema to a postgres:// URL.
func withSchema(dsn, schema string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return "", fmt.Errorf("-db: want a postgres:// URL, got %q", dsn)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// branchClient is a keep-alive HTTP client for clients concurrent
// connections to the branch.
func branchClient(clients int) *http.Client {
	tr := &http.Transport{
		MaxIdleConns:        clients,
		MaxIdleConnsPerHost: clients,
		MaxConnsPerHost:     clients,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{Transport: tr, Timeout: 5 * time.Minute}
}
