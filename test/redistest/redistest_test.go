package redistest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

func TestMain(m *testing.M) { Main(m) }

func connect(t *testing.T, rawURL string) *redis.Client {
	t.Helper()
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	// One attempt per command: a stopped server is reported at once
	// instead of after go-redis's dial and command retries.
	opts.MaxRetries, opts.DialerRetries = -1, 1
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestNewURLGivesAnEmptyDatabaseOfItsOwn(t *testing.T) {
	ctx := context.Background()
	first, second := NewURL(t), NewURL(t)
	if first == second {
		t.Fatalf("two calls returned the same URL %s", first)
	}
	a, b := connect(t, first), connect(t, second)
	if n, err := a.DBSize(ctx).Result(); err != nil || n != 0 {
		t.Fatalf("new database holds %d keys (err %v), want 0", n, err)
	}
	if err := a.Set(ctx, "k", "a", 0).Err(); err != nil {
		t.Fatalf("database is not writable: %v", err)
	}
	if n, err := b.Exists(ctx, "k").Result(); err != nil || n != 0 {
		t.Fatalf("a key written through one URL shows through the other (exists=%d, err %v)", n, err)
	}
}

func TestDatabaseIsFlushedAfterTheTest(t *testing.T) {
	var rawURL string
	t.Run("inner", func(t *testing.T) {
		rawURL = NewURL(t)
		if err := connect(t, rawURL).Set(context.Background(), "left", "behind", 0).Err(); err != nil {
			t.Fatal(err)
		}
	})
	if n, err := connect(t, rawURL).DBSize(context.Background()).Result(); err != nil || n != 0 {
		t.Fatalf("database holds %d keys after its test ended (err %v), want 0", n, err)
	}
}

func TestThrowawayServerListensOnLoopbackWithoutPersistence(t *testing.T) {
	if os.Getenv(EnvURL) != "" {
		t.Log("using an external server: nothing to check about the throwaway one")
		return
	}
	c := connect(t, NewURL(t))
	cfg, err := c.ConfigGet(context.Background(), "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if cfg["bind"] != "127.0.0.1" || cfg["save"] != "" || cfg["appendonly"] != "no" {
		t.Fatalf("bind=%q save=%q appendonly=%q, want 127.0.0.1, empty and no", cfg["bind"], cfg["save"], cfg["appendonly"])
	}
}

func TestServerStopsAndRestartsOnTheSamePort(t *testing.T) {
	srv := Start(t)
	c := connect(t, srv.URL())
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := c.Ping(short).Err(); err == nil {
		t.Fatal("PING succeeded on a stopped server")
	}
	srv.Restart()
	if err := c.Ping(ctx).Err(); err != nil {
		t.Fatalf("PING after Restart: %v", err)
	}
	if n, err := c.Exists(ctx, "k").Result(); err != nil || n != 0 {
		t.Fatalf("restarted server kept a key (exists=%d, err %v), want it empty", n, err)
	}
}

func TestDurableServerKeepsItsDataAcrossAKill(t *testing.T) {
	srv := StartDurable(t)
	c := connect(t, srv.URL())
	ctx := context.Background()
	if err := c.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	srv.Stop() // SIGKILL: only what is in the append-only file survives
	srv.Restart()
	if v, err := c.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("after a kill and restart k = %q (err %v), want v", v, err)
	}
}

func TestServerIsRemovedWhenTheTestEnds(t *testing.T) {
	var dir string
	var port string
	t.Run("inner", func(t *testing.T) {
		srv := Start(t)
		dir, port = srv.in.dir, srv.in.url().Port()
	})
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("server directory %s still exists (stat err %v)", dir, err)
	}
	c := connect(t, "redis://127.0.0.1:"+port+"/0")
	short, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(short).Err(); err == nil {
		t.Error("the server still answers after its test ended")
	}
}
