// Package e2e drives the whole authd application over HTTP: the production
// fx graph on a real PostgreSQL database, reached with net/http as any
// client would. Each test starts its own server on its own database.
package e2e

import (
	"context"
	"maps"
	"net/http"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/pgtest"
	"github.com/authd/authd/test/redistest"
)

// TestMain starts PostgreSQL (and Redis, when a test asks for it) once for
// the package.
func TestMain(m *testing.M) { pgtest.Main(redistest.Around(m)) }

// Environment variables the harness fills in when a test does not.
const (
	envDatabaseURL = "AUTHD_DATABASE_URL"
	envKeysDir     = "AUTHD_JWT_KEYS_DIR"
)

// lifecycleTimeout bounds starting and stopping one application.
const lifecycleTimeout = 30 * time.Second

// server is one running authd application.
type server struct {
	// URL is the base URL, http://127.0.0.1:port.
	URL string
	// Config is the configuration the application was built from.
	Config *config.Config
	client *http.Client
}

// baseEnv is the configuration every test server starts from: a random
// port, no metrics listener, and argon2id parameters cheap enough that the
// suite spends its time on behaviour rather than on hashing. Rate limits are
// off because the suite sends many requests from one address; they are a
// subject of their own.
func baseEnv() map[string]string {
	return map[string]string{
		"AUTHD_ENV":                         "test",
		"AUTHD_HTTP_ADDR":                   "127.0.0.1:0",
		"AUTHD_METRICS_ADDR":                "",
		"AUTHD_LOG_LEVEL":                   "error",
		"AUTHD_PASSWORD_ARGON2_MEMORY_KIB":  "64",
		"AUTHD_PASSWORD_ARGON2_ITERATIONS":  "1",
		"AUTHD_PASSWORD_ARGON2_PARALLELISM": "1",
		"AUTHD_RATELIMIT_ENABLED":           "false",
	}
}

// startServer builds the configuration from baseEnv overlaid with env,
// starts the production application with opts added (a manual clock, say)
// and stops it when the test ends. Unless env names them, the database is
// a fresh PostgreSQL database and the keys directory a fresh temporary one.
func startServer(t *testing.T, env map[string]string, opts ...fx.Option) *server {
	t.Helper()
	vars := baseEnv()
	maps.Copy(vars, env)
	if _, ok := vars[envDatabaseURL]; !ok {
		vars[envDatabaseURL] = pgtest.NewDatabaseURL(t)
	}
	if _, ok := vars[envKeysDir]; !ok {
		vars[envKeysDir] = t.TempDir()
	}
	if _, ok := vars[envSessionsStore]; !ok {
		maps.Copy(vars, sharedSessionStoreEnv(t, vars[envDatabaseURL]))
	}
	cfg, err := config.LoadFrom("", func(key string) (string, bool) {
		v, ok := vars[key]
		return v, ok
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}

	var srv *wiring.Server
	extra := append([]fx.Option{quietLogs(t), fx.Populate(&srv)}, opts...)
	app := wiring.New(cfg, extra...)
	ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatalf("start authd: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), lifecycleTimeout)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			t.Errorf("stop authd: %v", err)
		}
	})
	return &server{
		URL:    "http://" + srv.Addr(),
		Config: cfg,
		client: newValidatingClient(t, srv.Addr(), &http.Client{Timeout: 20 * time.Second}),
	}
}

// quietLogs sends the application's error lines to the test log, where
// they show only when the test fails, and drops everything below; a test
// that called observeLogs also gets every line of info and above.
func quietLogs(t *testing.T) fx.Option {
	return fx.Decorate(func(*zap.Logger) *zap.Logger {
		l := zaptest.NewLogger(t, zaptest.Level(zapcore.ErrorLevel))
		if core, ok := observedCores.Load(t); ok {
			l = l.WithOptions(zap.WrapCore(func(c zapcore.Core) zapcore.Core { return zapcore.NewTee(c, core.(zapcore.Core)) }))
		}
		return l
	})
}

// observedCores holds the log observers of the tests that asked for one.
var observedCores sync.Map

// observeLogs records the log lines (info and above) of the servers the
// test starts from now on.
func observeLogs(t *testing.T) *observer.ObservedLogs {
	core, logs := observer.New(zapcore.InfoLevel)
	observedCores.Store(t, core)
	t.Cleanup(func() { observedCores.Delete(t) })
	return logs
}

// newClock returns a manual clock at the current time, cut to the second
// so that timestamps in responses compare exactly.
func newClock() *system.ManualClock {
	return system.NewManualClock(time.Now().UTC().Truncate(time.Second))
}

// withClock makes clock the application's only source of time: the use
// cases, session expiry, access-token verification and the in-process rate
// limiter all read it.
func withClock(clock outbound.Clock) fx.Option {
	return fx.Decorate(func(outbound.Clock) outbound.Clock { return clock })
}
