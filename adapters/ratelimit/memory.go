package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// sweepEvery is how often, at most, Memory drops the counts of ended windows.
const sweepEvery = 30 * time.Second

// Memory is a limiter whose counts live in this process. It reads the time
// from its clock only, so a test that moves a manual clock moves its
// windows too.
//
// Its memory follows the traffic and does not pile up. It holds one entry
// (100 to 140 bytes, with the map's spare room) per key whose window is
// running, or ended less than sweepEvery before the latest call: the calls
// themselves sweep out ended windows, at most once per sweepEvery, so
// Memory needs no goroutine and nothing to stop. R new keys a second under
// a longest window W hold at most R × (W + 30 s) entries: a flood of new
// keys costs memory that long, and an idle limiter keeps what it holds
// until its next call.
type Memory struct {
	clock outbound.Clock

	mu        sync.Mutex
	windows   map[string]window // by storeKey
	lastSweep time.Time         // when a call last swept ended windows
}

// window is one key's count in its current window.
type window struct {
	end   time.Time // the window is [end - Quota.Window, end)
	count int64
}

var _ outbound.RateLimiter = (*Memory)(nil)

// NewMemory returns an empty in-process limiter on clock. It panics if
// clock is nil: a limiter without a clock would fail on its first request.
func NewMemory(clock outbound.Clock) *Memory {
	if clock == nil {
		panic("ratelimit: NewMemory needs a clock")
	}
	return &Memory{clock: clock, windows: make(map[string]window)}
}

// Hit counts one hit against key under q. A window starts at a key's first
// hit, or its first hit after the last window ended.
func (m *Memory) Hit(_ context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	if err := validate(q); err != nil {
		return outbound.Usage{}, err
	}
	k := storeKey(q, key)
	m.mu.Lock()
	defer m.mu.Unlock()
	// Read under the lock, so that calls count in the order of their
	// times and no hit lands in a window that starts after it.
	now := m.clock.Now()
	m.sweep(now)
	w := m.current(k, q, now)
	w.count++
	m.windows[k] = w
	return usage(q.Limit, w.count, w.end.Sub(now), false), nil
}

// Peek reports key's usage under q without counting.
func (m *Memory) Peek(_ context.Context, q outbound.Quota, key string) (outbound.Usage, error) {
	if err := validate(q); err != nil {
		return outbound.Usage{}, err
	}
	k := storeKey(q, key)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	m.sweep(now)
	w := m.current(k, q, now)
	return usage(q.Limit, w.count, w.end.Sub(now), true), nil
}

// current returns k's window at now: the stored one while it runs, else an
// empty one that would start now. The caller holds m.mu.
func (m *Memory) current(k string, q outbound.Quota, now time.Time) window {
	if w, ok := m.windows[k]; ok && now.Before(w.end) {
		return w
	}
	return window{end: now.Add(q.Window)}
}

// sweep drops every ended window, unless the last sweep was less than
// sweepEvery ago. A clock set back sweeps at once rather than waiting for
// the old time to come round again. The caller holds m.mu.
func (m *Memory) sweep(now time.Time) {
	if since := now.Sub(m.lastSweep); since >= 0 && since < sweepEvery {
		return
	}
	m.lastSweep = now
	for k, w := range m.windows {
		if !now.Before(w.end) {
			delete(m.windows, k)
		}
	}
}
