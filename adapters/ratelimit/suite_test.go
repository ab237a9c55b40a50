package ratelimit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// subject is a limiter under test, with no counts and used by one test
// alone, and the way to let time pass for it without waiting.
type subject struct {
	limiter outbound.RateLimiter
	// elapse lets d pass for the limiter's windows, as waiting d would.
	elapse func(t *testing.T, d time.Duration)
}

// runSuite holds the behaviour every limiter in this package must have.
func runSuite(t *testing.T, newSubject func(t *testing.T) subject) {
	ctx := context.Background()
	newLimiter := func(t *testing.T) outbound.RateLimiter { return newSubject(t).limiter }
	login := outbound.Quota{Name: "login", Limit: 3, Window: time.Minute}

	t.Run("hits within the limit are allowed, counting down", func(t *testing.T) {
		l := newLimiter(t)
		for i := 1; i <= login.Limit; i++ {
			u := hit(t, l, login, "203.0.113.7")
			if u.Exceeded || u.Limit != login.Limit || u.Remaining != login.Limit-i {
				t.Fatalf("hit %d: %+v, want limit %d, remaining %d, not exceeded", i, u, login.Limit, login.Limit-i)
			}
			if u.ResetIn < login.Window-2*time.Second || u.ResetIn > login.Window {
				t.Fatalf("hit %d: ResetIn = %v, want about %v", i, u.ResetIn, login.Window)
			}
			if u.ResetIn%time.Second != 0 {
				t.Fatalf("hit %d: ResetIn = %v, want whole seconds", i, u.ResetIn)
			}
		}
	})

	t.Run("the hit after the limit is exceeded, and so is every later one", func(t *testing.T) {
		l := newLimiter(t)
		for range login.Limit {
			hit(t, l, login, "k")
		}
		for i := range 2 {
			if u := hit(t, l, login, "k"); !u.Exceeded || u.Remaining != 0 || u.ResetIn < time.Second {
				t.Fatalf("hit %d: %+v, want exceeded, remaining 0, ResetIn >= 1s", login.Limit+1+i, u)
			}
		}
	})

	t.Run("peek reports a spent budget as exceeded and never counts", func(t *testing.T) {
		l := newLimiter(t)
		if u := peek(t, l, login, "k"); u.Exceeded || u.Remaining != login.Limit || u.Limit != login.Limit {
			t.Fatalf("peek of an unseen key: %+v, want the whole budget", u)
		}
		for range 10 {
			peek(t, l, login, "k")
		}
		for i := 1; i < login.Limit; i++ {
			hit(t, l, login, "k")
		}
		if u := peek(t, l, login, "k"); u.Exceeded || u.Remaining != 1 {
			t.Fatalf("peek with one hit left: %+v, want remaining 1, not exceeded", u)
		}
		if u := hit(t, l, login, "k"); u.Exceeded || u.Remaining != 0 {
			t.Fatalf("last allowed hit after peeks: %+v, want allowed: peeks must not count", u)
		}
		if u := peek(t, l, login, "k"); !u.Exceeded || u.Remaining != 0 {
			t.Fatalf("peek after %d hits: %+v, want remaining 0 and exceeded", login.Limit, u)
		}
	})

	t.Run("a zero limit refuses everything", func(t *testing.T) {
		l := newLimiter(t)
		closed := outbound.Quota{Name: "closed", Limit: 0, Window: time.Minute}
		if u := peek(t, l, closed, "k"); !u.Exceeded {
			t.Fatalf("peek: %+v, want exceeded", u)
		}
		if u := hit(t, l, closed, "k"); !u.Exceeded {
			t.Fatalf("hit: %+v, want exceeded", u)
		}
	})

	t.Run("keys and quota names count apart", func(t *testing.T) {
		l := newLimiter(t)
		for range login.Limit + 1 {
			hit(t, l, login, "a")
		}
		signup := outbound.Quota{Name: "signup", Limit: login.Limit, Window: time.Minute}
		if u := hit(t, l, login, "b"); u.Exceeded || u.Remaining != login.Limit-1 {
			t.Fatalf("other key: %+v, want a fresh budget", u)
		}
		if u := hit(t, l, signup, "a"); u.Exceeded || u.Remaining != login.Limit-1 {
			t.Fatalf("other quota name: %+v, want a fresh budget", u)
		}
		// Name and key are not simply glued together.
		ab := outbound.Quota{Name: "x:y", Limit: 1, Window: time.Minute}
		x := outbound.Quota{Name: "x", Limit: 1, Window: time.Minute}
		hit(t, l, ab, "z")
		if u := hit(t, l, x, "y:z"); u.Exceeded {
			t.Fatalf(`quota "x" key "y:z" shares a count with quota "x:y" key "z"`)
		}
	})

	t.Run("concurrent hits allow exactly the limit", func(t *testing.T) {
		l := newLimiter(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		allowed := 0
		for range 20 {
			wg.Go(func() {
				u, err := l.Hit(ctx, login, "k")
				if err != nil {
					t.Error(err)
					return
				}
				if !u.Exceeded {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if allowed != login.Limit {
			t.Fatalf("%d of 20 concurrent hits allowed, want %d", allowed, login.Limit)
		}
	})

	t.Run("invalid quotas are refused", func(t *testing.T) {
		l := newLimiter(t)
		for _, q := range []outbound.Quota{
			{Name: "", Limit: 1, Window: time.Minute},
			{Name: "q", Limit: -1, Window: time.Minute},
			{Name: "q", Limit: 1, Window: 0},
			{Name: "q", Limit: 1, Window: time.Microsecond},
		} {
			if _, err := l.Hit(ctx, q, "k"); !errors.Is(err, ErrInvalidQuota) {
				t.Errorf("Hit(%+v) error = %v, want ErrInvalidQuota", q, err)
			}
			if _, err := l.Peek(ctx, q, "k"); !errors.Is(err, ErrInvalidQuota) {
				t.Errorf("Peek(%+v) error = %v, want ErrInvalidQuota", q, err)
			}
		}
	})

	t.Run("a window ends neither early nor late", func(t *testing.T) {
		sub := newSubject(t)
		hit(t, sub.limiter, login, "k")
		sub.elapse(t, login.Window/2)
		for range login.Limit - 1 {
			hit(t, sub.limiter, login, "k")
		}
		u := peek(t, sub.limiter, login, "k")
		if !u.Exceeded || u.Remaining != 0 {
			t.Fatalf("peek half a window after the first hit: %+v, want the hits of both halves counted together", u)
		}
		if u.ResetIn < login.Window/2-2*time.Second || u.ResetIn > login.Window/2 {
			t.Fatalf("ResetIn = %v half a window in, want about %v: the window runs from the first hit", u.ResetIn, login.Window/2)
		}
		sub.elapse(t, login.Window/2)
		if u := peek(t, sub.limiter, login, "k"); u.Exceeded || u.Remaining != login.Limit {
			t.Fatalf("peek a window after the first hit: %+v, want the whole budget back", u)
		}
	})

	t.Run("a new window starts when the last one ends", func(t *testing.T) {
		sub := newSubject(t)
		short := outbound.Quota{Name: "short", Limit: 1, Window: time.Second}
		hit(t, sub.limiter, short, "k")
		if u := hit(t, sub.limiter, short, "k"); !u.Exceeded || u.ResetIn != time.Second {
			t.Fatalf("second hit: %+v, want exceeded with ResetIn 1s", u)
		}
		sub.elapse(t, short.Window)
		if u := peek(t, sub.limiter, short, "k"); u.Exceeded || u.Remaining != 1 {
			t.Fatalf("peek after the window: %+v, want the whole budget back", u)
		}
		if u := hit(t, sub.limiter, short, "k"); u.Exceeded || u.Remaining != 0 {
			t.Fatalf("hit after the window: %+v, want allowed", u)
		}
		if u := hit(t, sub.limiter, short, "k"); !u.Exceeded {
			t.Fatalf("second hit of the new window: %+v, want exceeded", u)
		}
	})
}

func hit(t *testing.T, l outbound.RateLimiter, q outbound.Quota, key string) outbound.Usage {
	t.Helper()
	u, err := l.Hit(context.Background(), q, key)
	if err != nil {
		t.Fatalf("Hit: %v", err)
	}
	return u
}

func peek(t *testing.T, l outbound.RateLimiter, q outbound.Quota, key string) outbound.Usage {
	t.Helper()
	u, err := l.Peek(context.Background(), q, key)
	if err != nil {
		t.Fatalf("Peek: %v", err)
	}
	return u
}
