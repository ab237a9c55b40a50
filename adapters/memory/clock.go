package memory

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/ports/outbound"
)

// Clock is a settable outbound.Clock for tests.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

var _ outbound.Clock = (*Clock)(nil)

// NewClock returns a clock stopped at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t.UTC()
}

// IDs is an outbound.IDGenerator that yields valid, increasing UUIDv7-shaped
// ids from a counter (00000000-0000-7000-8000-000000000001, ...), so test
// output is predictable.
type IDs struct{ n atomic.Uint64 }

var _ outbound.IDGenerator = (*IDs)(nil)

// NewID returns the next id.
func (g *IDs) NewID() ident.UUID {
	var id ident.UUID
	id[6], id[8] = 0x70, 0x80 // version 7, RFC 9562 variant
	binary.BigEndian.PutUint64(id[8:], 0x8000_0000_0000_0000|g.n.Add(1))
	return id
}
