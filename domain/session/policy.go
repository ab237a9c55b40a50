package session

import "time"

// Policy holds the lifetimes that govern every session.
type Policy struct {
	// IdleTimeout ends a session that has not been refreshed for this long.
	IdleTimeout time.Duration
	// MaxLifetime ends a session this long after login; rotation never
	// extends it.
	MaxLifetime time.Duration
	// ReuseGrace is how long after a rotation the immediate predecessor
	// token still yields the same successor instead of counting as reuse.
	// It counts from the rotation's time, which callers read under the
	// session's lock, so from its commit; it ends early when the
	// successor is presented (the session rotates again).
	ReuseGrace time.Duration
}

// DefaultPolicy is the contract's defaults: 7 days idle, 30 days absolute,
// 10 seconds of grace.
func DefaultPolicy() Policy {
	return Policy{IdleTimeout: 7 * 24 * time.Hour, MaxLifetime: 30 * 24 * time.Hour, ReuseGrace: 10 * time.Second}
}
