package token

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// Cache remembers the claims of access tokens it has verified, until each
// token's exp, so a token presented again skips the signature check and
// the JWT parsing (the bulk of the CPU of a bearer check). It caches only
// what the token itself says: the session and the user are still read on
// every request, so a logout, a revocation or a disabled account is
// refused on the next request as before. Verification is a pure function
// of the token, the keys and the time, and a verified token stays valid
// until its exp, so a hit gives the answer a full verification would as
// long as the keys are the same: when a reload changes them (a key pruned
// or removed after a compromise), the cache starts over, so that a token
// of a key that went is refused on its next request.
type Cache struct {
	next  outbound.AccessTokens
	keys  KeySource
	clock outbound.Clock
	size  int

	mu      sync.RWMutex
	entries map[string]outbound.AccessClaims
	set     *KeySet // the keys the entries were verified with
}

var _ outbound.AccessTokens = (*Cache)(nil)

// NewCache caches at most size verified tokens of next, which verifies
// with the keys of keys.
func NewCache(next outbound.AccessTokens, keys KeySource, clock outbound.Clock, size int) *Cache {
	return &Cache{next: next, keys: keys, clock: clock, size: size, entries: make(map[string]outbound.AccessClaims)}
}

// Issue signs a token with the wrapped issuer.
func (c *Cache) Issue(ctx context.Context, claims outbound.AccessClaims) (string, outbound.AccessClaims, error) {
	return c.next.Issue(ctx, claims)
}

// Verify answers from the cache while the token is before its exp, and
// otherwise verifies it fully (which says expired, or invalid) and
// remembers a success.
func (c *Cache) Verify(ctx context.Context, token string) (outbound.AccessClaims, error) {
	now, set := c.clock.Now(), c.keys.KeySet()
	c.mu.RLock()
	claims, hit := c.entries[token]
	hit = hit && c.set == set
	c.mu.RUnlock()
	if hit && now.Before(claims.ExpiresAt) {
		return claims, nil
	}
	claims, err := c.next.Verify(ctx, token)
	if err != nil || !now.Before(claims.ExpiresAt) {
		// A token in its leeway after exp verifies but is not kept.
		return claims, err
	}
	c.mu.Lock()
	if c.set != set {
		clear(c.entries)
		c.set = set
	}
	if len(c.entries) >= c.size {
		c.evict(now)
	}
	c.entries[token] = claims
	c.mu.Unlock()
	return claims, nil
}

// evict drops the expired entries, and everything if that frees nothing:
// a full cache of live tokens is refilled by the next requests, each
// paying one verification again. Called with mu held.
func (c *Cache) evict(now time.Time) {
	for k, v := range c.entries {
		if !now.Before(v.ExpiresAt) {
			delete(c.entries, k)
		}
	}
	if len(c.entries) >= c.size {
		clear(c.entries)
	}
}
