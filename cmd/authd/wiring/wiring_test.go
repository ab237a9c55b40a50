package wiring_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/authd/authd/adapters/tracing"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/config"
)

// testConfig is a valid configuration on the embedded SQLite adapter, with
// everything the server writes kept in a temporary directory.
func testConfig(t *testing.T) (*config.Config, string) {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "authd.db")
	env := map[string]string{
		"AUTHD_ENV":                        "test",
		"AUTHD_HTTP_ADDR":                  "127.0.0.1:0",
		"AUTHD_DATABASE_URL":               "sqlite://" + dbPath,
		"AUTHD_JWT_KEYS_DIR":               filepath.Join(dir, "keys"),
		"AUTHD_METRICS_ADDR":               "",
		"AUTHD_LOG_LEVEL":                  "error",
		"AUTHD_PASSWORD_ARGON2_MEMORY_KIB": "64",
		"AUTHD_PASSWORD_ARGON2_ITERATIONS": "1",
		"AUTHD_RATELIMIT_ENABLED":          "false",
	}
	cfg, err := config.LoadFrom("", func(key string) (string, bool) {
		v, ok := env[key]
		return v, ok
	})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return cfg, dbPath
}

func TestGraphsAreValid(t *testing.T) {
	cfg, _ := testConfig(t)
	graphs := map[string]fx.Option{
		"server (Options)":                    wiring.Options(cfg),
		"operator tools (Core)":               wiring.Core(cfg),
		"server on memory (ServerOn, Memory)": wiring.ServerOn(cfg, wiring.MemoryStorage),
	}
	withMetrics := *cfg
	withMetrics.Metrics.Addr = "127.0.0.1:0"
	graphs["server with metrics"] = wiring.Options(&withMetrics)
	graphs["server on memory with metrics"] = wiring.ServerOn(&withMetrics, wiring.MemoryStorage)
	for name, graph := range graphs {
		if err := fx.ValidateApp(graph, fx.NopLogger); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestServesOnSQLite starts the production graph on the default embedded
// adapter and walks a session from signup to logout over HTTP.
func TestServesOnSQLite(t *testing.T) {
	cfg, dbPath := testConfig(t)
	srv := start(t, func(extra ...fx.Option) *fx.App { return wiring.New(cfg, extra...) })
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatalf("the SQLite database was not created: %v", err)
	}
	walkSession(t, srv)
}

// TestServesOnMemory starts the whole server with every storage port bound
// to the in-memory store, and walks the same session: the graph needs no
// database, only the ports.
func TestServesOnMemory(t *testing.T) {
	cfg, dbPath := testConfig(t)
	srv := start(t, func(extra ...fx.Option) *fx.App {
		return fx.New(wiring.ServerOn(cfg, wiring.MemoryStorage), fx.Options(extra...), fx.NopLogger)
	})
	if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the memory graph touched the configured database: %v", err)
	}
	walkSession(t, srv)
}

func quietLogger(t *testing.T) fx.Option {
	return fx.Decorate(func(*zap.Logger) *zap.Logger {
		return zaptest.NewLogger(t, zaptest.Level(zapcore.ErrorLevel))
	})
}

// start builds the app with a quiet logger, starts it, stops it when the
// test ends, and returns its server.
func start(t *testing.T, build func(extra ...fx.Option) *fx.App) *wiring.Server {
	t.Helper()
	var srv *wiring.Server
	app := build(quietLogger(t), fx.Populate(&srv))
	if err := app.Err(); err != nil {
		t.Fatalf("graph: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := app.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return srv
}

// walkSession signs up, reads /me, refreshes, and logs out over HTTP.
func walkSession(t *testing.T, srv *wiring.Server) {
	t.Helper()
	c := client{t: t, base: "http://" + srv.Addr()}

	for _, probe := range []string{"/healthz", "/readyz"} {
		c.want(c.call(http.MethodGet, probe, nil, ""), http.StatusOK)
	}

	var signup tokens
	res := c.call(http.MethodPost, "/v1/auth/signup",
		map[string]string{"email": "Sam@Example.com", "password": "correct-Horse-battery-9", "fullName": "Sam"}, "")
	c.want(res, http.StatusCreated).decode(&signup)
	if signup.User.Email != "sam@example.com" || signup.User.Role != "user" || signup.RefreshToken == "" {
		t.Fatalf("signup response %+v", signup)
	}

	var me struct{ User user }
	c.want(c.call(http.MethodGet, "/v1/auth/me", nil, signup.AccessToken), http.StatusOK).decode(&me)
	if me.User != signup.User {
		t.Errorf("/me user %+v, want %+v", me.User, signup.User)
	}

	var refreshed tokens
	c.want(c.call(http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": signup.RefreshToken}, ""), http.StatusOK).decode(&refreshed)
	if refreshed.RefreshToken == signup.RefreshToken || refreshed.AccessToken == "" {
		t.Fatal("refresh did not rotate the token")
	}
	c.want(c.call(http.MethodGet, "/v1/auth/me", nil, refreshed.AccessToken), http.StatusOK)

	c.want(c.call(http.MethodPost, "/v1/auth/logout", map[string]string{"refreshToken": refreshed.RefreshToken}, ""), http.StatusNoContent)
	c.want(c.call(http.MethodPost, "/v1/auth/refresh", map[string]string{"refreshToken": refreshed.RefreshToken}, ""), http.StatusUnauthorized)
	c.want(c.call(http.MethodGet, "/v1/auth/me", nil, refreshed.AccessToken), http.StatusUnauthorized)
}

type user struct {
	ID, Email, FullName, Role string
	Disabled, EmailVerified   bool
	CreatedAt, UpdatedAt      string
}

type tokens struct {
	AccessToken, RefreshToken string
	User                      user
}

// client is just enough HTTP for one walk through the API.
type client struct {
	t    *testing.T
	base string
}

type result struct {
	t      *testing.T
	status int
	body   []byte
}

func (c client) call(method, path string, body any, bearer string) result {
	c.t.Helper()
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			c.t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, c.base+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	var out bytes.Buffer
	if _, err := out.ReadFrom(res.Body); err != nil {
		c.t.Fatal(err)
	}
	return result{t: c.t, status: res.StatusCode, body: out.Bytes()}
}

func (c client) want(r result, status int) result {
	c.t.Helper()
	if r.status != status {
		c.t.Fatalf("status %d, want %d; body: %s", r.status, status, r.body)
	}
	return r
}

func (r result) decode(dst any) {
	r.t.Helper()
	if err := json.Unmarshal(r.body, dst); err != nil {
		r.t.Fatalf("decode %s: %v", r.body, err)
	}
}

// Tracing is off unless tracing.otlp_endpoint is set: the graph then holds
// no tracer provider at all, and no middleware for the HTTP adapter.
func TestTracingIsAbsentWithoutAnEndpoint(t *testing.T) {
	cfg, _ := testConfig(t)
	if err := fx.ValidateApp(wiring.Options(cfg), fx.Populate(new(*tracing.Tracing)), fx.NopLogger); err == nil {
		t.Fatal("the graph holds a tracer provider although tracing.otlp_endpoint is empty")
	}
	traced := *cfg
	traced.Tracing.OTLPEndpoint = "http://127.0.0.1:4318"
	if err := fx.ValidateApp(wiring.Options(&traced), fx.Populate(new(*tracing.Tracing)), fx.NopLogger); err != nil {
		t.Fatalf("with an endpoint: %v", err)
	}
}
