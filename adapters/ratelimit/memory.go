package ratelimit

import (
	"context"
	"time"

	"github.com/ulule/limiter/v3"
	"github.com/ulule/limiter/v3/drivers/store/memory"

	"github.com/authd/authd/ports/outbound"
)

// cleanupInterval is how often Memory drops the counts of ended windows.
const cleanupInterval = 30 * time.Second

// Memory is a limiter whose counts live in this process. Its memory follows
// the traffic and does not pile up: it holds one entry (about 220 bytes)
// per key whose window has not ended, or ended less than cleanupInterval
// ago. R new keys a second under a longest window W hold at most
// R × (W + 30 s) entries: a flood of new keys costs memory that long, no
// longer.
type Memory struct {
	store limiter.Store
}

var _ outbound.RateLimiter = (*Memory)(nil)

// NewMemory returns an empty in-process limiter.
func NewMemory() *Memory {
	return &Memory{store: memory.NewStoreWithOptions(limiter.StoreOptions{
		Prefix:          keyPrefix,
		CleanUpInterval: cleanupInterval,
	})}
}

// Hit counts one hit against key under q.
func (m *Memory) Hit(ctx context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	if err := validate(q); err != nil {
		return outbound.Usage{}, err
	}
	c, err := m.store.Get(ctx, storeKey(q, key), rate(q))
	if err != nil {
		return outbound.Usage{}, err
	}
	return toUsage(c, time.Now(), false), nil
}

// Peek reports key's usage under q without counting.
func (m *Memory) Peek(ctx context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	if err := validate(q); err != nil {
		return outbound.Usage{}, err
	}
	c, err := m.store.Peek(ctx, storeKey(q, key), rate(q))
	if err != nil {
		return outbound.Usage{}, err
	}
	return toUsage(c, time.Now(), true), nil
}
