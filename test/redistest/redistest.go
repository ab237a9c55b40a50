// Package redistest gives tests a real Redis: one throwaway redis-server per
// test binary, started on first use, and a database of their own per test,
// emptied when the test ends. Nothing is mocked.
//
//	func TestMain(m *testing.M) { redistest.Main(m) }
//	// or, with PostgreSQL too:
//	func TestMain(m *testing.M) { pgtest.Main(redistest.Around(m)) }
//
//	func TestSomething(t *testing.T) {
//		url := redistest.NewURL(t) // redis://127.0.0.1:PORT/N
//	}
//
// Isolation is by database index: each call to NewURL takes an index no
// running test holds, flushes it, and flushes and returns it when the test
// ends, so parallel tests never see each other's keys. Index 0 is never
// handed out, so an external server's default database is left alone.
//
// When AUTHD_TEST_REDIS_URL is set (a redis:// URL), NewURL uses that server
// instead; its databases other than 0 get flushed. Otherwise redistest runs
// redis-server from PATH (or /usr/bin) on a free loopback port, without
// persistence, and stops it when the tests end. Tests that need to stop a
// server under a client (outages) start their own with Start. If
// redis-server cannot be found or started, the test fails: it never skips.
package redistest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// EnvURL names the variable that points the tests at an existing server
// instead of a throwaway one.
const EnvURL = "AUTHD_TEST_REDIS_URL"

// throwawayDatabases is how many databases the throwaway server has: enough
// for every test of a package to hold one at once.
const throwawayDatabases = 256

// pool hands out the databases of the shared server.
type pool struct {
	base *url.URL  // the server; NewURL sets the path to the database index
	inst *instance // nil when the server is external
	mu   sync.Mutex
	free []int // database indexes no test holds
}

var (
	mainCalled atomic.Bool
	startOnce  sync.Once
	shared     *pool
	errStart   error
)

// Main runs the package's tests and then stops the server, if one was
// started. Call it from TestMain.
func Main(m *testing.M) { os.Exit(Around(m).Run()) }

// Around wraps m so that running it also stops the server afterwards, for
// packages whose TestMain hands m to another helper that exits:
//
//	func TestMain(m *testing.M) { pgtest.Main(redistest.Around(m)) }
func Around(m interface{ Run() int }) interface{ Run() int } {
	mainCalled.Store(true)
	return runner(func() int {
		code := m.Run()
		if shared != nil && shared.inst != nil {
			if err := shared.inst.remove(); err != nil {
				fmt.Fprintln(os.Stderr, "redistest:", err)
				if code == 0 {
					code = 1
				}
			}
		}
		return code
	})
}

// runner is a test run as a function.
type runner func() int

func (r runner) Run() int { return r() }

// NewURL returns the redis:// URL of an empty database that no other running
// test uses. The database is flushed when t ends.
func NewURL(t testing.TB) string {
	t.Helper()
	if !mainCalled.Load() {
		t.Fatal("redistest: call redistest.Main(m) (or Around) from TestMain, so that the server is stopped when the tests end")
	}
	startOnce.Do(func() { shared, errStart = startPool() })
	if errStart != nil {
		t.Fatalf("redistest: this test needs Redis: %v", errStart)
	}
	db, ok := shared.take()
	if !ok {
		t.Fatal("redistest: every database of the server is held by a running test; run fewer tests in parallel")
	}
	u := *shared.base
	u.Path = "/" + strconv.Itoa(db)
	if err := flush(u.String()); err != nil {
		shared.give(db)
		t.Fatalf("redistest: flush database %d: %v", db, err)
	}
	t.Cleanup(func() {
		if err := flush(u.String()); err != nil {
			t.Errorf("redistest: flush database %d: %v", db, err)
			return // not handed out again: it may hold this test's keys
		}
		shared.give(db)
	})
	return u.String()
}

// startPool connects to AUTHD_TEST_REDIS_URL or starts a throwaway server.
func startPool() (*pool, error) {
	if raw := os.Getenv(EnvURL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			// The URL may hold a password: it is not repeated here.
			return nil, fmt.Errorf("%s must be a redis:// or rediss:// URL", EnvURL)
		}
		u.Path = ""
		n, err := databaseCount(u.String())
		if err != nil {
			return nil, fmt.Errorf("connect to %s: %w", EnvURL, err)
		}
		return newPool(u, nil, n), nil
	}
	inst, err := newInstance("--databases", strconv.Itoa(throwawayDatabases))
	if err != nil {
		return nil, err
	}
	return newPool(inst.url(), inst, throwawayDatabases), nil
}

func newPool(base *url.URL, inst *instance, databases int) *pool {
	p := &pool{base: base, inst: inst}
	for db := 1; db < databases; db++ {
		p.free = append(p.free, db)
	}
	return p
}

func (p *pool) take() (int, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) == 0 {
		return 0, false
	}
	db := p.free[0]
	p.free = p.free[1:]
	return db, true
}

func (p *pool) give(db int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, db)
}

// databaseCount asks the server how many databases it has; 16, Redis's
// default, when it will not say (CONFIG is often disabled on managed servers).
func databaseCount(rawURL string) (int, error) {
	c, err := client(rawURL)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		return 0, err
	}
	if cfg, err := c.ConfigGet(ctx, "databases").Result(); err == nil {
		if n, err := strconv.Atoi(cfg["databases"]); err == nil && n > 1 {
			return n, nil
		}
	}
	return 16, nil
}

func flush(rawURL string) error {
	c, err := client(rawURL)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.FlushDB(ctx).Err()
}

func client(rawURL string) (*redis.Client, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse the server URL: %w", err)
	}
	return redis.NewClient(opts), nil
}
