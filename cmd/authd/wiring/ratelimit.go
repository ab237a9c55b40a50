package wiring

import (
	"context"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/ratelimit"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/outbound"
)

// RateLimiting provides the limiter behind the per-IP limits and the login
// lockout: in-process by default; with ratelimit.redis_url, shared in Redis
// with the in-process limiter as a fallback while Redis is unreachable.
var RateLimiting = fx.Module("ratelimit",
	fx.Provide(
		newLimiter,
		func(l *limiter) outbound.RateLimiter { return l.RateLimiter },
		func(l *limiter) httpapi.ChecksFunc { return l.checks },
	),
)

// limiter is the chosen RateLimiter and, when Redis backs it, the status
// reported in /readyz.
type limiter struct {
	outbound.RateLimiter
	resilient *ratelimit.Resilient
}

// checks is the /readyz detail: a degraded limiter is reported, not fatal.
func (l *limiter) checks(context.Context) map[string]string {
	if l.resilient == nil {
		return nil
	}
	if ok, detail := l.resilient.Status(); !ok {
		return map[string]string{"ratelimit": "degraded: " + detail}
	}
	return map[string]string{"ratelimit": "ok"}
}

func newLimiter(lc fx.Lifecycle, cfg *config.Config, log *zap.Logger, clock outbound.Clock) (*limiter, error) {
	memory := ratelimit.NewMemory(clock)
	if cfg.RateLimit.RedisURL == "" {
		return &limiter{RateLimiter: memory}, nil
	}
	redis, err := ratelimit.NewRedisURL(cfg.RateLimit.RedisURL)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(redis.Close))
	r := ratelimit.NewResilient(redis, memory, log, clock)
	return &limiter{RateLimiter: r, resilient: r}, nil
}

// quota turns a configured rate into a named quota.
func quota(name string, r config.Rate) outbound.Quota {
	return outbound.Quota{Name: name, Limit: r.Limit, Window: r.Period}
}
