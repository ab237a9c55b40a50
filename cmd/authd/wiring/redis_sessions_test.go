package wiring_test

import (
	"context"
	"net/http"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/fx"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/config"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

func TestMain(m *testing.M) { redistest.Main(m) }

// redisConfig is testConfig with the sessions in the Redis at url.
func redisConfig(t *testing.T, url string) (*config.Config, string) {
	t.Helper()
	cfg, dbPath := testConfig(t)
	cfg.Sessions.Store, cfg.Sessions.RedisURL = config.SessionStoreRedis, url
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg, dbPath
}

func TestRedisSessionGraphsAreValid(t *testing.T) {
	// Validation builds nothing, so no Redis needs to answer here.
	cfg, _ := redisConfig(t, "redis://127.0.0.1:1/0")
	for name, graph := range map[string]fx.Option{
		"server (Options)":      wiring.Options(cfg),
		"operator tools (Core)": wiring.Core(cfg),
	} {
		if err := fx.ValidateApp(graph, fx.NopLogger); err != nil {
			t.Errorf("%s with sessions in Redis: %v", name, err)
		}
	}
}

// TestServesWithSessionsInRedis starts the production graph with
// sessions.store=redis and walks a session: the sessions are in Redis, the
// users and the audit trail in SQLite, and /readyz asks both.
func TestServesWithSessionsInRedis(t *testing.T) {
	url := redistest.NewURL(t)
	cfg, dbPath := redisConfig(t, url)
	var log outbound.AuditLog
	srv := start(t, func(extra ...fx.Option) *fx.App {
		return wiring.New(cfg, append(extra, fx.Populate(&log))...)
	})
	if _, err := os.Stat(dbPath); err != nil {
		t.Fatalf("the SQLite database was not created: %v", err)
	}
	walkSession(t, srv)

	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	raw := redis.NewClient(opts)
	t.Cleanup(func() { _ = raw.Close() })
	ctx := context.Background()
	keys, err := raw.Keys(ctx, "authd:session:*").Result()
	if err != nil || len(keys) != 1 {
		t.Fatalf("Redis holds session keys %v (err %v), want the one session of the walk", keys, err)
	}
	events, err := log.List(ctx, outbound.AuditQuery{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var types []audit.Type
	for _, e := range events {
		types = append(types, e.Type)
	}
	// Signup commits in SQL with the user; refresh and logout change only
	// the session, so their events came through Redis.
	for _, want := range []audit.Type{audit.Signup, audit.Refreshed, audit.Logout} {
		if !slices.Contains(types, want) {
			t.Errorf("audit trail %v lacks %s", types, want)
		}
	}
	if n, err := raw.XLen(ctx, "authd:audit-events").Result(); err != nil || n != 0 {
		t.Errorf("%d events left in the Redis stream (err %v), want 0", n, err)
	}
}

// With Redis gone, /readyz says not ready and authenticated requests fail
// closed with 503; the liveness probe still answers.
func TestRedisOutageIsNotReadyAndFailsClosed(t *testing.T) {
	redisSrv := redistest.Start(t)
	cfg, _ := redisConfig(t, redisSrv.URL())
	srv := start(t, func(extra ...fx.Option) *fx.App { return wiring.New(cfg, extra...) })
	c := client{t: t, base: "http://" + srv.Addr()}
	var signup tokens
	c.want(c.call(http.MethodPost, "/v1/auth/signup",
		map[string]string{"email": "ola@example.com", "password": "correct-Horse-battery-9", "fullName": "Ola"}, ""), http.StatusCreated).decode(&signup)

	redisSrv.Stop()
	c.want(c.call(http.MethodGet, "/healthz", nil, ""), http.StatusOK)
	c.want(c.call(http.MethodGet, "/readyz", nil, ""), http.StatusServiceUnavailable)
	c.want(c.call(http.MethodGet, "/v1/auth/me", nil, signup.AccessToken), http.StatusServiceUnavailable)

	redisSrv.Restart()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if c.call(http.MethodGet, "/readyz", nil, "").status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not recover after Redis came back")
		}
	}
}
