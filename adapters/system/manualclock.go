package system

import (
	"sync"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// ManualClock is an outbound.Clock that moves only when told to: tests use
// it in place of Clock to reach an expiry or the end of a rate-limit window
// at once instead of sleeping until it comes. Like Clock it tells the time
// in UTC. It is safe for concurrent use, so a test may move it while a
// server it runs is reading it.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

var _ outbound.Clock = (*ManualClock)(nil)

// NewManualClock returns a clock stopped at start.
func NewManualClock(start time.Time) *ManualClock {
	return &ManualClock{now: start.UTC()}
}

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d; a negative d moves it back.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}
