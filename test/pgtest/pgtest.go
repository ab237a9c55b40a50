// Package pgtest gives tests a real PostgreSQL: one throwaway server per test
// binary, started on first use, and a fresh database per test, dropped when
// the test ends. Nothing is mocked.
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		url := pgtest.NewDatabaseURL(t) // postgres://...
//	}
//
// When AUTHD_TEST_DATABASE_URL is set (a postgres:// URL of a role that may
// create databases), the tests use that server instead. Otherwise pgtest
// looks for initdb and postgres on PATH and in /usr/lib/postgresql/*/bin,
// creates a cluster in a temporary directory and removes it afterwards. If
// PostgreSQL can be neither found nor started, the test fails: it never
// skips.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// EnvDatabaseURL names the variable that points the tests at an existing
// server instead of a throwaway one.
const EnvDatabaseURL = "AUTHD_TEST_DATABASE_URL"

// server is the PostgreSQL server of this test binary.
type server struct {
	base    *url.URL // any database; NewDatabaseURL swaps the name
	admin   *sql.DB  // connected to base, creates and drops databases
	cluster *cluster // nil when the server is external
}

var (
	mainCalled atomic.Bool
	startOnce  sync.Once
	srv        *server
	errStart   error
)

// Main runs the package's tests and then stops the server, if one was
// started. Call it from TestMain. m is usually the *testing.M itself, or
// redistest.Around(m) when the tests need Redis too.
func Main(m interface{ Run() int }) {
	mainCalled.Store(true)
	code := m.Run()
	if err := shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// NewDatabaseURL creates an empty database with a unique name and returns
// its postgres:// URL. The database is dropped, with any connection still
// open to it, when t ends.
func NewDatabaseURL(t testing.TB) string {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("pgtest: call pgtest.Main(m) from TestMain, so that the server is stopped when the tests end")
	}
	startOnce.Do(func() { srv, errStart = start() })
	if errStart != nil {
		t.Fatalf("pgtest: this test needs PostgreSQL: %v", errStart)
	}
	name := "authd_test_" + randomHex(8)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// name is [a-z0-9_]: safe to splice into the statement.
	if _, err := srv.admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := srv.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u := *srv.base
	u.Path = "/" + name
	return u.String()
}

// start connects to AUTHD_TEST_DATABASE_URL or starts a cluster.
func start() (*server, error) {
	if raw := os.Getenv(EnvDatabaseURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("%s must be a postgres:// URL", EnvDatabaseURL)
		}
		return connect(u, nil)
	}
	c, err := startCluster()
	if err != nil {
		return nil, err
	}
	s, err := connect(c.url(), c)
	if err != nil {
		return nil, errors.Join(err, c.stop())
	}
	return s, nil
}

func connect(u *url.URL, c *cluster) (*server, error) {
	admin, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, fmt.Errorf("open admin connection: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		_ = admin.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	return &server{base: u, admin: admin, cluster: c}, nil
}

// shutdown closes the admin connection and stops the cluster.
func shutdown() error {
	if srv == nil {
		return nil
	}
	err := srv.admin.Close()
	if srv.cluster != nil {
		err = errors.Join(err, srv.cluster.stop())
	}
	return err
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}
