package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"

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

// The two scripts answer {count, milliseconds left in the window}. Redis
// keeps the windows: a key is one window's count, and its expiry the end
// of the window, so every instance sees the same windows whatever its own
// clock says.
var (
	// hitScript counts one hit (ARGV[1] the window in milliseconds). The
	// first hit of a window starts it by setting the expiry.
	hitScript = redis.NewScript(`
local count = redis.call("incr", KEYS[1])
if count == 1 then
	redis.call("pexpire", KEYS[1], ARGV[1])
	return {count, tonumber(ARGV[1])}
end
return {count, redis.call("pttl", KEYS[1])}
`)
	// peekScript reads the count without changing it: {0, 0} for a key
	// with no window running.
	peekScript = redis.NewScript(`
local count = redis.call("get", KEYS[1])
if count == false then
	return {0, 0}
end
return {tonumber(count), redis.call("pttl", KEYS[1])}
`)
)

// Redis is a limiter whose counts live in Redis, so that every instance
// pointed at the same Redis shares one budget. The counting is one Lua
// script per call, atomic in Redis. Redis's own clock ends the windows, so
// this limiter reads no clock: the time left in a window is what Redis
// says is left of the key's expiry.
type Redis struct {
	client redis.UniversalClient
	owned  bool // Close closes the client only when NewRedisURL made it
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
	keys := []string{keyPrefix + ":" + storeKey(q, key)}
	// Run sends the script's hash and, the first time a server sees it,
	// the script itself.
	var cmd *redis.Cmd
	if peek {
		cmd = peekScript.Run(ctx, r.client, keys)
	} else {
		cmd = hitScript.Run(ctx, r.client, keys, q.Window.Milliseconds())
	}
	reply, err := cmd.Int64Slice()
	if err != nil {
		return outbound.Usage{}, fmt.Errorf("ratelimit: redis: %w", err)
	}
	if len(reply) != 2 {
		return outbound.Usage{}, fmt.Errorf("ratelimit: redis: the script answered %d values, want 2", len(reply))
	}
	count, ttl := reply[0], reply[1]
	// No expiry (a peek at a key with no window running) means a window
	// would start now and last the whole quota window.
	left := q.Window
	if ttl > 0 {
		left = time.Duration(ttl) * time.Millisecond
	}
	return usage(q.Limit, count, left, peek), nil
}
