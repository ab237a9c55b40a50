package ratelimit

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/redistest"
)

type resilientFixture struct {
	limiter *Resilient
	clock   *system.ManualClock
	logs    *observer.ObservedLogs
}

// newResilient returns a Resilient on Redis at redisURL, its fallback and
// schedule on one manual clock, as the application wires them.
func newResilient(t *testing.T, redisURL string) resilientFixture {
	t.Helper()
	core, logs := observer.New(zapcore.InfoLevel)
	clock := system.NewManualClock(epoch)
	l := NewResilient(newRedis(t, redisURL), NewMemory(clock), zap.New(core), clock)
	return resilientFixture{limiter: l, clock: clock, logs: logs}
}

func (f resilientFixture) warnings() int {
	return f.logs.FilterLevelExact(zapcore.WarnLevel).Len()
}

func TestResilient(t *testing.T) {
	t.Parallel()
	runSuite(t, func(t *testing.T) subject {
		url := redistest.NewURL(t)
		f := newResilient(t, url)
		redisElapse := redisElapse(t, url)
		return subject{limiter: f.limiter, elapse: func(t *testing.T, d time.Duration) {
			redisElapse(t, d)
			f.clock.Advance(d)
		}}
	})
}

func TestResilientUsesRedisWhileItAnswers(t *testing.T) {
	url := redistest.NewURL(t)
	f := newResilient(t, url)
	q := outbound.Quota{Name: "login", Limit: 3, Window: time.Minute}
	hit(t, f.limiter, q, "k")
	// Another instance on the same Redis sees the hit.
	if u := peek(t, newRedis(t, url), q, "k"); u.Remaining != q.Limit-1 {
		t.Fatalf("Redis holds %+v, want the hit counted there", u)
	}
	if ok, _ := f.limiter.Status(); !ok {
		t.Fatal("Status reports degraded while Redis answers")
	}
	if f.logs.Len() != 0 {
		t.Fatalf("logged %v while Redis answers, want nothing", f.logs.All())
	}
}

func TestResilientFallsBackDuringAnOutageAndReturns(t *testing.T) {
	srv := redistest.Start(t)
	f := newResilient(t, srv.URL())
	observer := newRedis(t, srv.URL()) // another instance, to see what Redis holds
	q := outbound.Quota{Name: "login", Limit: 3, Window: time.Minute}
	hit(t, f.limiter, q, "k")

	srv.Stop()
	// Every request is still limited: by this process alone.
	for i := 1; i <= q.Limit; i++ {
		if u := hit(t, f.limiter, q, "k"); u.Exceeded || u.Remaining != q.Limit-i {
			t.Fatalf("hit %d during the outage: %+v, want allowed with remaining %d", i, u, q.Limit-i)
		}
	}
	if u := hit(t, f.limiter, q, "k"); !u.Exceeded {
		t.Fatalf("hit %d during the outage: %+v, want exceeded", q.Limit+1, u)
	}
	if u := peek(t, f.limiter, q, "k"); !u.Exceeded {
		t.Fatalf("peek during the outage: %+v, want exceeded", u)
	}
	ok, detail := f.limiter.Status()
	if ok || detail != "redis unreachable, using in-process limiter" {
		t.Fatalf("Status() = %v, %q during the outage", ok, detail)
	}

	// However many requests, and probes of Redis, the outage is logged
	// once a minute.
	for _, step := range []time.Duration{0, 20 * time.Second, 20 * time.Second, 19 * time.Second} {
		f.clock.Advance(step) // past probeEvery: the first hit probes Redis
		for range 20 {
			hit(t, f.limiter, q, "other")
		}
	}
	if n := f.warnings(); n != 1 {
		t.Fatalf("%d warnings in the first minute of the outage, want 1", n)
	}
	f.clock.Advance(2 * time.Second)
	hit(t, f.limiter, q, "other")
	if n := f.warnings(); n != 2 {
		t.Fatalf("%d warnings after a minute of outage, want a reminder (2)", n)
	}

	srv.Restart() // empty: the old counts are gone with the old server
	u := hitUntilRedisAnswers(t, f, q, "k")
	if u.Exceeded || u.Remaining != q.Limit-1 {
		t.Fatalf("first hit after Redis came back: %+v, want it counted in Redis (remaining %d)", u, q.Limit-1)
	}
	if u := peek(t, observer, q, "k"); u.Remaining != q.Limit-1 {
		t.Fatalf("Redis holds %+v after it came back, want the hit counted there", u)
	}
	if n := f.logs.FilterMessageSnippet("reachable again").Len(); n != 1 {
		t.Fatalf("%d recovery lines, want 1", n)
	}
}

// hitUntilRedisAnswers lets probe time pass and hits until the limiter
// reports Redis back. go-redis, after many failed dials, dials again only
// from a background loop once a second: the wait is real, and short.
func hitUntilRedisAnswers(t *testing.T, f resilientFixture, q outbound.Quota, key string) outbound.Usage {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.clock.Advance(probeEvery)
		u := hit(t, f.limiter, q, key)
		if ok, _ := f.limiter.Status(); ok {
			return u
		}
		if time.Now().After(deadline) {
			t.Fatal("Status still degraded 5 s after Redis came back")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestResilientNeverLogsThePassword(t *testing.T) {
	const secret = "s3cret-pw"
	f := newResilient(t, "redis://:"+secret+"@"+closedAddr(t)+"/0")
	q := outbound.Quota{Name: "login", Limit: 3, Window: time.Minute}
	if _, err := f.limiter.Hit(context.Background(), q, "k"); err != nil {
		t.Fatalf("Hit failed with Redis down: %v, want the fallback's answer", err)
	}
	if f.warnings() != 1 {
		t.Fatalf("logged %v, want one warning", f.logs.All())
	}
	for _, e := range f.logs.All() {
		if line := fmt.Sprint(e.Message, e.ContextMap()); strings.Contains(line, secret) {
			t.Fatalf("log line repeats the password: %s", line)
		}
	}
	if _, detail := f.limiter.Status(); strings.Contains(detail, secret) {
		t.Fatalf("Status detail repeats the password: %s", detail)
	}
}

func TestResilientDoesNotStallOnAHungRedis(t *testing.T) {
	f := newResilient(t, "redis://"+silentAddr(t)+"/0")
	q := outbound.Quota{Name: "login", Limit: 100, Window: time.Minute}
	start := time.Now()
	hit(t, f.limiter, q, "k") // pays callTimeout once, finding Redis hung
	first := time.Since(start)
	start = time.Now()
	for range 20 {
		hit(t, f.limiter, q, "k") // until the next probe: straight to the fallback
	}
	rest := time.Since(start)
	if first > 4*callTimeout || rest > 4*callTimeout {
		t.Fatalf("first call %v, next 20 calls %v: want about %v, then no waiting", first, rest, callTimeout)
	}
}

func TestResilientCancelledRequestIsNotAnOutage(t *testing.T) {
	f := newResilient(t, redistest.NewURL(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	u, err := f.limiter.Hit(ctx, outbound.Quota{Name: "login", Limit: 3, Window: time.Minute}, "k")
	if err != nil || u.Limit != 3 {
		t.Fatalf("Hit with a cancelled context = %+v, %v; want an answer", u, err)
	}
	if ok, _ := f.limiter.Status(); !ok || f.warnings() != 0 {
		t.Fatal("a cancelled request was taken for a Redis outage")
	}
}
