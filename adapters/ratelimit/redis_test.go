package ratelimit

import (
	"context"
	"net"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

func newRedis(t *testing.T, rawURL string) *Redis {
	t.Helper()
	r, err := NewRedisURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

func TestRedis(t *testing.T) {
	t.Parallel()
	runSuite(t, func(t *testing.T) subject {
		url := redistest.NewURL(t)
		return subject{limiter: newRedis(t, url), elapse: redisElapse(t, url)}
	})
}

// redisElapse returns a function that lets time pass for the windows kept
// in the Redis database at url: the windows are the keys' expiries, so it
// shortens each expiry by d, and a key with d or less to live is gone, as
// Redis would have expired it.
func redisElapse(t *testing.T, url string) func(t *testing.T, d time.Duration) {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	t.Cleanup(func() { _ = c.Close() })
	return func(t *testing.T, d time.Duration) {
		t.Helper()
		ctx := context.Background()
		keys, err := c.Keys(ctx, keyPrefix+":*").Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			ttl, err := c.PTTL(ctx, k).Result()
			if err != nil {
				t.Fatal(err)
			}
			if ttl <= d {
				err = c.Del(ctx, k).Err()
			} else {
				err = c.PExpire(ctx, k, ttl-d).Err()
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestRedisInstancesShareOneBudget(t *testing.T) {
	url := redistest.NewURL(t)
	a, b := newRedis(t, url), newRedis(t, url) // two clients, as two servers would have
	q := outbound.Quota{Name: "login", Limit: 4, Window: time.Minute}
	for i := 1; i <= q.Limit; i++ {
		l := a
		if i%2 == 0 {
			l = b
		}
		if u := hit(t, l, q, "198.51.100.1"); u.Exceeded || u.Remaining != q.Limit-i {
			t.Fatalf("hit %d: %+v, want remaining %d", i, u, q.Limit-i)
		}
	}
	if u := peek(t, b, q, "198.51.100.1"); !u.Exceeded {
		t.Fatalf("peek on the second instance: %+v, want the budget spent by both", u)
	}
	if u := hit(t, a, q, "198.51.100.1"); !u.Exceeded {
		t.Fatalf("hit %d: %+v, want exceeded", q.Limit+1, u)
	}
}

func TestRedisKeysArePrefixedHashedAndExpire(t *testing.T) {
	url := redistest.NewURL(t)
	q := outbound.Quota{Name: "login", Limit: 5, Window: time.Minute}
	hit(t, newRedis(t, url), q, "alice@example.com")

	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || !regexp.MustCompile(`^authd:rl:login:[0-9a-f]{32}$`).MatchString(keys[0]) {
		t.Fatalf("keys = %q, want one authd:rl:login:<hash> key", keys)
	}
	if strings.Contains(keys[0], "alice") {
		t.Fatalf("key %q holds the address in clear", keys[0])
	}
	ttl, err := c.PTTL(ctx, keys[0]).Result()
	if err != nil {
		t.Fatal(err)
	}
	if ttl <= 0 || ttl > q.Window {
		t.Fatalf("key TTL = %v, want the window (%v) at most, never none", ttl, q.Window)
	}
}

func TestNewRedisURLErrorsHideThePassword(t *testing.T) {
	const secret = "s3cret-pw"
	for _, raw := range []string{
		"redis://:" + secret + "@127.0.0.1:notaport/0",
		"redis://user:" + secret + "@127.0.0.1:6379/notadb",
		"http://:" + secret + "@127.0.0.1:6379/0",
		"redis://:" + secret + "@127.0.0.1:6379/0/extra",
		"redis://:" + secret + "%zz@127.0.0.1:6379/0",
	} {
		_, err := NewRedisURL(raw)
		if err == nil {
			t.Errorf("NewRedisURL accepted a bad URL")
			continue
		}
		if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error %q repeats the password", err)
		}
	}
	if _, err := NewRedis(nil); err == nil {
		t.Error("NewRedis(nil) succeeded")
	}
}

func TestRedisDownFailsFastWithoutThePassword(t *testing.T) {
	const secret = "s3cret-pw"
	r := newRedis(t, "redis://:"+secret+"@"+closedAddr(t)+"/0") // made without contacting Redis
	q := outbound.Quota{Name: "login", Limit: 5, Window: time.Minute}
	start := time.Now()
	_, err := r.Hit(context.Background(), q, "k")
	if err == nil {
		t.Fatal("Hit succeeded with no Redis")
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("Hit took %v with Redis down, want about %v at most", elapsed, callTimeout)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("error %q repeats the password", err)
	}
}

func TestRedisCallsAreBoundedWhenRedisHangs(t *testing.T) {
	r := newRedis(t, "redis://"+silentAddr(t)+"/0")
	start := time.Now()
	_, err := r.Peek(context.Background(), outbound.Quota{Name: "login", Limit: 5, Window: time.Minute}, "k")
	if err == nil {
		t.Fatal("Peek succeeded against a server that never answers")
	}
	if elapsed := time.Since(start); elapsed > 4*callTimeout {
		t.Errorf("Peek took %v against a hung server, want about %v", elapsed, callTimeout)
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// silentAddr returns the address of a server that accepts connections and
// never answers, as a hung Redis would.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var conns []net.Conn
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				for _, c := range conns {
					_ = c.Close()
				}
				return
			}
			conns = append(conns, c) // held open, never read
		}
	}()
	t.Cleanup(func() { _ = l.Close(); <-done })
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
}
