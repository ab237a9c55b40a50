package httpapi

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// fakeLimiter counts hits per key in one endless window and records every
// call. err, when set, is returned instead.
type fakeLimiter struct {
	mu      sync.Mutex
	hits    []limiterHit
	peeks   int
	counts  map[string]int
	resetIn time.Duration
	err     error
}

type limiterHit struct {
	quota outbound.Quota
	key   string
}

func newFakeLimiter() *fakeLimiter {
	return &fakeLimiter{counts: map[string]int{}, resetIn: 41*time.Second + 200*time.Millisecond}
}

func (l *fakeLimiter) Hit(_ context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.hits = append(l.hits, limiterHit{q, key})
	if l.err != nil {
		return outbound.Usage{}, l.err
	}
	l.counts[key]++
	n := l.counts[key]
	return outbound.Usage{Limit: q.Limit, Remaining: max(q.Limit-n, 0), ResetIn: l.resetIn, Exceeded: n > q.Limit}, nil
}

func (l *fakeLimiter) Peek(_ context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.peeks++
	n := l.counts[key]
	return outbound.Usage{Limit: q.Limit, Remaining: max(q.Limit-n, 0), ResetIn: l.resetIn, Exceeded: n >= q.Limit}, l.err
}

// lastHit returns the most recent hit, failing the test when there is none.
func (l *fakeLimiter) lastHit(t *testing.T) limiterHit {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.hits) == 0 {
		t.Fatal("the limiter was not hit")
	}
	return l.hits[len(l.hits)-1]
}

func (l *fakeLimiter) hitCount() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hits)
}

var _ outbound.RateLimiter = (*fakeLimiter)(nil)
