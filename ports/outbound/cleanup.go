package outbound

import (
	"context"
	"time"
)

// Sweeper deletes rows that have served their purpose (expired sessions,
// spent one-time secrets, finished sign-in states, delivered mail) in small
// batches, so that tables do not grow forever and no sweep holds a lock
// for long. The background cleanup and `authd cleanup` run every sweeper
// the wiring provides.
type Sweeper interface {
	// Name says what the sweeper removes, for logs and metrics
	// ("sessions", "outbox", ...).
	Name() string
	// Sweep deletes at most limit rows that were finished before now and
	// says how many it deleted; fewer than limit means nothing is left.
	Sweep(ctx context.Context, now time.Time, limit int) (int, error)
}
