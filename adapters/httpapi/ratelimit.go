package httpapi

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"go.uber.org/zap"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Quota names, as they appear in the RateLimit-Policy and RateLimit fields.
const (
	quotaLogin   = "login"
	quotaSignup  = "signup"
	quotaRefresh = "refresh"
	quotaDefault = "default"
	quotaMail    = "mail"
)

// RateLimits configures per-IP limiting. The limiter sits here, beside the
// quotas it enforces, rather than among the use cases: it is an outbound
// port the adapter uses for itself, and enabling limits without a limiter
// is then one obvious configuration error.
//
// Login, Signup and Refresh apply to their endpoints; Default to every other
// route, unknown paths included, except /healthz and /readyz: load balancers
// probe those from a handful of addresses at a fixed pace, and a throttled
// probe would take a healthy instance out of rotation. Each quota's Name may
// be left empty; otherwise it must be the quota's own name ("login",
// "signup", "refresh", "default"), which catches swapped quotas at startup.
type RateLimits struct {
	Enabled bool
	// Limiter counts the hits; required when Enabled. It may fail open
	// internally (a shared store falling back to an in-process count); an
	// error it still returns lets the request through.
	Limiter outbound.RateLimiter
	Login   outbound.Quota
	Signup  outbound.Quota
	Refresh outbound.Quota
	Default outbound.Quota
	// Mail is the quota the unauthenticated endpoints that send mail
	// share (verify-email/send, password/forgot, email/confirm); when its
	// Limit is 0 they spend Default.
	Mail outbound.Quota
}

// routeLimits is the validated form of RateLimits: which quota each route
// pattern spends.
type routeLimits struct {
	limiter  outbound.RateLimiter
	byRoute  map[string]outbound.Quota
	fallback outbound.Quota
}

// newRouteLimits checks the configuration; it returns nil when limiting is
// disabled.
func newRouteLimits(rl RateLimits) (*routeLimits, error) {
	if !rl.Enabled {
		return nil, nil
	}
	if rl.Limiter == nil {
		return nil, errors.New("httpapi: rate limits are enabled but no limiter is given")
	}
	quotas := []*outbound.Quota{&rl.Login, &rl.Signup, &rl.Refresh, &rl.Default}
	for i, name := range []string{quotaLogin, quotaSignup, quotaRefresh, quotaDefault} {
		q := quotas[i]
		if q.Name == "" {
			q.Name = name
		}
		if q.Name != name {
			return nil, fmt.Errorf("httpapi: the %s rate limit quota is named %q", name, q.Name)
		}
		if q.Limit < 1 || q.Window < time.Second {
			return nil, fmt.Errorf("httpapi: the %s rate limit needs a limit of at least 1 per window of at least 1s", name)
		}
	}
	l := &routeLimits{
		limiter: rl.Limiter,
		byRoute: map[string]outbound.Quota{
			"/v1/auth/login":   rl.Login,
			"/v1/auth/signup":  rl.Signup,
			"/v1/auth/refresh": rl.Refresh,
		},
		fallback: rl.Default,
	}
	if rl.Mail.Limit != 0 {
		if rl.Mail.Name == "" {
			rl.Mail.Name = quotaMail
		}
		if rl.Mail.Name != quotaMail || rl.Mail.Limit < 1 || rl.Mail.Window < time.Second {
			return nil, errors.New("httpapi: the mail rate limit quota needs the name \"mail\", a limit of at least 1 and a window of at least 1s")
		}
		for _, route := range mailRoutes {
			l.byRoute[route] = rl.Mail
		}
	}
	return l, nil
}

// quotaFor returns the quota a matched route pattern ("" for an unknown
// path or a wrong method) spends, or false when it is not limited: limiting
// is off, or the route is a probe (see RateLimits).
func (l *routeLimits) quotaFor(route string) (outbound.Quota, bool) {
	if l == nil || route == "/healthz" || route == "/readyz" {
		return outbound.Quota{}, false
	}
	if q, ok := l.byRoute[route]; ok {
		return q, true
	}
	return l.fallback, true
}

// rateLimit counts the request against its route's quota for the client IP
// (c.ClientIP believes X-Forwarded-For only from trusted proxies) and
// describes the standing in the draft-ietf-httpapi-ratelimit-headers-10
// fields, which it sets before the handlers run so that every answer of a
// limited route carries them, errors included. It runs after CORS, so an
// allowed origin can read a 429 and preflights are not counted.
//
// A limiter error lets the request through, with the policy but without a
// RateLimit field it could not compute: throttling is a defence, and an
// outage of it must not become an outage of logins.
func (a *api) rateLimit(c *gin.Context) {
	q, limited := a.limits.quotaFor(c.FullPath())
	if !limited {
		c.Next()
		return
	}
	c.Header("RateLimit-Policy", strconv.Quote(q.Name)+";q="+strconv.Itoa(q.Limit)+";w="+ceilSeconds(q.Window))
	usage, err := a.limits.limiter.Hit(c.Request.Context(), q, q.Name+":"+c.ClientIP())
	if err != nil {
		a.log.Warn("rate limiter failed; request let through",
			zap.String("request_id", requestIDFrom(c.Request.Context())),
			zap.String("quota", q.Name),
			zap.Error(err))
		c.Next()
		return
	}
	c.Header("RateLimit", strconv.Quote(q.Name)+";r="+strconv.Itoa(max(usage.Remaining, 0))+";t="+ceilSeconds(usage.ResetIn))
	if usage.Exceeded {
		if a.opts.Observer != nil {
			a.opts.Observer.RateLimited(q.Name)
		}
		a.fail(c, &inbound.RetryAfterError{Err: errRateLimited, RetryAfter: usage.ResetIn})
		return
	}
	c.Next()
}

// ceilSeconds renders d as whole seconds, rounded up so that a client
// waiting that long is never early; negative durations render as 0.
func ceilSeconds(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	s := d / time.Second
	if d%time.Second != 0 {
		s++
	}
	return strconv.FormatInt(int64(s), 10)
}

// retryAfter renders a Retry-After value: whole seconds, at least 1, since
// "0" would invite an immediate retry that is bound to fail again.
func retryAfter(d time.Duration) string {
	if d < time.Second {
		return "1"
	}
	return ceilSeconds(d)
}
