package ratelimit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

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

// storeKey names the count of key under q. The key is hashed: its length
// is then fixed whatever a client sends, and no address sits in the store
// in clear. 128 bits of SHA-256 leave collisions out of reach.
func storeKey(q outbound.Quota, key string) string {
	sum := sha256.Sum256([]byte(key))
	return q.Name + ":" + hex.EncodeToString(sum[:16])
}

// usage reports count hits, in a window that ends in left, against limit.
// A hit is over the limit only once the count is past it, but for a peek
// the budget is spent as soon as nothing remains: the next hit would be
// refused.
func usage(limit int, count int64, left time.Duration, peek bool) outbound.Usage {
	remaining := max(int64(limit)-count, 0)
	return outbound.Usage{
		Limit:     limit,
		Remaining: int(remaining),
		ResetIn:   resetIn(left),
		Exceeded:  count > int64(limit) || (peek && remaining == 0),
	}
}

// resetIn rounds the time left in a window up to whole seconds, as the
// RateLimit and Retry-After fields carry it, and to one second at least: a
// client told to retry after it then finds the window over, never retries
// at once into the same window.
func resetIn(left time.Duration) time.Duration {
	if left <= time.Second {
		return time.Second
	}
	return (left + time.Second - 1).Truncate(time.Second)
}
