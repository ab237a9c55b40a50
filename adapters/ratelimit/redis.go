package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/ulule/limiter/v3"
	redisstore "github.com/ulule/limiter/v3/drivers/store/redis"

	"github.com/authd/authd/ports/outbound"
)

const (
	// keyPrefix starts every key the limiter writes ("authd:rl:login:…"),
	// so that it can share a Redis with other data.
	keyPrefix = "authd:rl"
	// callTimeout bounds each call to Redis: a rate limit check that
	// cannot be answered quickly is better answered from the fallback
	// than after the request has stalled.
	callTimeout = 250 * time.Millisecond
)

// Redis is a limiter whose counts live in Redis, so that every instance
// pointed at the same Redis shares one budget. The counting is one Lua
// script per call, atomic in Redis.
type Redis struct {
	client redis.UniversalClient
	owned  bool // Close closes the client only when NewRedisURL made it

	mu    sync.Mutex
	store limiter.Store // nil until Redis has first answered
}

var _ outbound.RateLimiter = (*Redis)(nil)

// NewRedis returns a limiter on client. It does not contact Redis: a Redis
// that is down at start is reported by the first call, not at wiring time.
// Give the client ContextTimeoutEnabled, as NewRedisURL does, or a Redis
// that stops answering holds each call for the client's read timeout
// rather than callTimeout.
func NewRedis(client redis.UniversalClient) (*Redis, error) {
	if client == nil {
		return nil, errors.New("ratelimit: nil redis client")
	}
	return &Redis{client: client}, nil
}

// NewRedisURL returns a limiter on a client for rawURL (redis://,
// rediss:// or unix://, as go-redis parses it). Errors never repeat the
// URL, which may hold a password.
func NewRedisURL(rawURL string) (*Redis, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		if _, isURL := errors.AsType[*url.Error](err); isURL {
			// net/url quotes the whole URL, password included.
			return nil, errors.New("ratelimit: the redis URL is not a valid URL")
		}
		return nil, fmt.Errorf("ratelimit: the redis URL is invalid: %w", err)
	}
	opts.ContextTimeoutEnabled = true
	// One dial attempt and one retry per command (enough to replace a
	// connection a restarted Redis dropped): more would spend callTimeout
	// retrying a Redis that is down, when the caller has a fallback.
	if opts.DialerRetries == 0 {
		opts.DialerRetries = 1
	}
	if opts.DialerRetryTimeout == 0 {
		// go-redis also waits this long after the last failed dial.
		opts.DialerRetryTimeout = 10 * time.Millisecond
	}
	if opts.MaxRetries == 0 {
		opts.MaxRetries = 1
	}
	r, err := NewRedis(redis.NewClient(opts))
	if err != nil {
		return nil, err
	}
	r.owned = true
	return r, nil
}

// Close closes the client if NewRedisURL made it.
func (r *Redis) Close() error {
	if !r.owned {
		return nil
	}
	return r.client.Close()
}

// Hit counts one hit against key under q.
func (r *Redis) Hit(ctx context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	return r.call(ctx, q, key, false)
}

// Peek reports key's usage under q without counting.
func (r *Redis) Peek(ctx context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	return r.call(ctx, q, key, true)
}

func (r *Redis) call(ctx context.Context, q outbound.Quota, key string, peek bool) (outbound.Usage, error) {
	if err := validate(q); err != nil {
		return outbound.Usage{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	store, err := r.loadStore(ctx)
	if err != nil {
		return outbound.Usage{}, err
	}
	var c limiter.Context
	if peek {
		c, err = store.Peek(ctx, storeKey(q, key), rate(q))
	} else {
		c, err = store.Get(ctx, storeKey(q, key), rate(q))
	}
	if err != nil {
		// %v, not %w: ulule's errors carry stack traces that loggers
		// would print in full.
		return outbound.Usage{}, fmt.Errorf("ratelimit: redis: %v", err)
	}
	return toUsage(c, time.Now(), peek), nil
}

// loadStore makes ulule's store on first use. The store loads its Lua
// scripts when made, without a deadline of its own, so Redis is pinged
// under ctx first: a Redis that is down costs a call callTimeout, not
// go-redis's dial timeouts.
func (r *Redis) loadStore(ctx context.Context) (limiter.Store, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.store != nil {
		return r.store, nil
	}
	if err := r.client.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("ratelimit: redis: %w", err)
	}
	store, err := redisstore.NewStoreWithOptions(r.client, limiter.StoreOptions{Prefix: keyPrefix})
	if err != nil {
		return nil, fmt.Errorf("ratelimit: redis: %v", err)
	}
	r.store = store
	return store, nil
}
