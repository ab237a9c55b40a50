package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/ulule/limiter/v3"

	"github.com/authd/authd/ports/outbound"
)

// ErrInvalidQuota is returned for a quota without a name, with a negative
// limit, or with a window under a millisecond (Redis expires keys in
// milliseconds; a zero expiry would keep a count forever).
var ErrInvalidQuota = errors.New("ratelimit: invalid quota")

func validate(q outbound.Quota) error {
	if q.Name == "" || q.Limit < 0 || q.Window < time.Millisecond {
		return ErrInvalidQuota
	}
	return nil
}

func rate(q outbound.Quota) limiter.Rate {
	return limiter.Rate{Limit: int64(q.Limit), Period: q.Window}
}

// storeKey names the count of key under q. The key is hashed: its length
// is then fixed whatever a client sends, and no address sits in the store
// in clear. 128 bits of SHA-256 leave collisions out of reach.
func storeKey(q outbound.Quota, key string) string {
	sum := sha256.Sum256([]byte(key))
	return q.Name + ":" + hex.EncodeToString(sum[:16])
}

// toUsage maps ulule's answer to the port's. ulule marks a count as reached
// only once it is over the limit, which is right for a hit; for a peek the
// budget is spent as soon as nothing remains.
func toUsage(c limiter.Context, now time.Time, peek bool) outbound.Usage {
	return outbound.Usage{
		Limit:     int(c.Limit),
		Remaining: int(c.Remaining),
		ResetIn:   resetIn(c.Reset, now),
		Exceeded:  c.Reached || (peek && c.Remaining <= 0),
	}
}

// resetIn turns ulule's reset time, a Unix time in whole seconds, into a
// duration from now, rounded up to whole seconds. The reset time is
// truncated, so the window may outlive it by up to a second: the result is
// never below one second, or a client would be told to retry at once into
// the same window.
func resetIn(reset int64, now time.Time) time.Duration {
	d := time.Unix(reset, 0).Sub(now)
	if d < time.Second {
		return time.Second
	}
	return (d + time.Second - 1).Truncate(time.Second)
}
