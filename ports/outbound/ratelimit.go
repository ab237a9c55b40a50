package outbound

import (
	"context"
	"time"
)

// Quota is a number of hits allowed per fixed window, under a name that
// shows in the RateLimit-Policy header ("login", "signup", ...).
type Quota struct {
	Name   string
	Limit  int
	Window time.Duration
}

// Usage is a key's standing against a quota.
type Usage struct {
	Limit     int
	Remaining int
	// ResetIn is how long until the current window ends and the count
	// starts again.
	ResetIn time.Duration
	// Exceeded is true when this hit went over the limit (Hit) or when the
	// limit is already used up (Peek).
	Exceeded bool
}

// RateLimiter counts hits per key in fixed windows. Implementations may be
// in-process or shared between instances (Redis).
type RateLimiter interface {
	// Hit counts one hit against key and reports the usage after it.
	Hit(ctx context.Context, q Quota, key string) (Usage, error)
	// Peek reports the usage without counting.
	Peek(ctx context.Context, q Quota, key string) (Usage, error)
}
