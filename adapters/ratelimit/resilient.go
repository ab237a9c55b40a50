package ratelimit

import (
	"context"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/authd/authd/ports/outbound"
)

const (
	// logEvery is how often, at most, an outage is logged: once when it
	// starts and then as a reminder, never once per request.
	logEvery = time.Minute
	// probeEvery is how often, during an outage, one request tries the
	// primary again; the others go straight to the fallback, so a Redis
	// that hangs costs one request a second callTimeout, not every request.
	probeEvery = time.Second
)

// Resilient limits with a primary limiter (Redis, shared between
// instances) and, while the primary fails, with a fallback (Memory, this
// process only). Requests are limited either way and never refused because
// the primary is down; during an outage each instance enforces the budget
// on its own, and hits it counts are not carried over to the primary.
type Resilient struct {
	primary, fallback outbound.RateLimiter
	log               *zap.Logger
	clock             outbound.Clock

	mu        sync.Mutex
	down      bool      // the primary failed last time it was tried
	nextProbe time.Time // while down: when to try the primary again
	lastWarn  time.Time // when an outage was last logged
	lastBack  time.Time // when a recovery was last logged
}

var _ outbound.RateLimiter = (*Resilient)(nil)

// NewResilient returns a limiter that prefers primary and falls back to
// fallback. clock drives the logging and probing schedule; give it the
// fallback's clock. A nil log logs nothing; a nil clock panics, as it would
// on the first outage otherwise.
func NewResilient(primary, fallback outbound.RateLimiter, log *zap.Logger, clock outbound.Clock) *Resilient {
	if clock == nil {
		panic("ratelimit: NewResilient needs a clock")
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Resilient{primary: primary, fallback: fallback, log: log, clock: clock}
}

// Hit counts one hit against key under q.
func (r *Resilient) Hit(ctx context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	return r.call(ctx, q, key, outbound.RateLimiter.Hit)
}

// Peek reports key's usage under q without counting.
func (r *Resilient) Peek(ctx context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	return r.call(ctx, q, key, outbound.RateLimiter.Peek)
}

// Status reports whether the primary answered when last tried, with a
// detail for the readiness endpoint. Before the first call it reports ok.
func (r *Resilient) Status() (ok bool, detail string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return false, "redis unreachable, using in-process limiter"
	}
	return true, "redis"
}

type limitFunc func(outbound.RateLimiter, context.Context, outbound.Quota, string) (outbound.Usage, error)

func (r *Resilient) call(ctx context.Context, q outbound.Quota, key string, f limitFunc) (outbound.Usage, error) {
	// A bad quota is the caller's bug, not an outage.
	if err := validate(q); err != nil {
		return outbound.Usage{}, err
	}
	if !r.shouldTryPrimary() {
		return f(r.fallback, ctx, q, key)
	}
	u, err := f(r.primary, ctx, q, key)
	if err == nil {
		r.primaryAnswered()
		return u, nil
	}
	// A request that was cancelled says nothing about the primary.
	if ctx.Err() == nil {
		r.primaryFailed(err)
	}
	return f(r.fallback, ctx, q, key)
}

// shouldTryPrimary is true unless the primary is down and another request
// probed it less than probeEvery ago.
func (r *Resilient) shouldTryPrimary() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.down {
		return true
	}
	now := r.clock.Now()
	if now.Before(r.nextProbe) {
		return false
	}
	r.nextProbe = now.Add(probeEvery)
	return true
}

func (r *Resilient) primaryAnswered() {
	r.mu.Lock()
	if !r.down {
		r.mu.Unlock()
		return
	}
	r.down = false
	now := r.clock.Now()
	// A flapping Redis is logged like a down one: once a minute at most.
	logIt := r.lastBack.IsZero() || now.Sub(r.lastBack) >= logEvery
	if logIt {
		r.lastBack = now
	}
	r.mu.Unlock()
	if logIt {
		r.log.Info("rate limiter: redis reachable again, limits are shared again")
	}
}

func (r *Resilient) primaryFailed(err error) {
	r.mu.Lock()
	now := r.clock.Now()
	r.down = true
	r.nextProbe = now.Add(probeEvery)
	warn := r.lastWarn.IsZero() || now.Sub(r.lastWarn) >= logEvery
	if warn {
		r.lastWarn = now
	}
	r.mu.Unlock()
	if warn {
		// The error names the address, never the URL's password.
		r.log.Warn("rate limiter: redis unreachable, using in-process limiter; limits are per instance until it answers",
			zap.Error(err))
	}
}
