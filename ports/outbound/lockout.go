package outbound

import (
	"context"
	"time"
)

// FailureWindow is a key's failed attempts in its current window, which
// opened at the first failure and closes at Ends. The zero value is no
// open window.
type FailureWindow struct {
	Failures int
	Ends     time.Time
}

// LoginFailures counts failed sign-in attempts per key (a normalised
// email) in fixed windows that open at a key's first failure. The counts
// are durable and shared by every instance using the store, so a lockout
// survives restarts and holds across instances, with or without Redis.
type LoginFailures interface {
	// Fail counts one failure of key at now and returns the window after
	// it: when no window is open at now, a new one of length window opens
	// with this failure. Concurrent calls each count once.
	Fail(ctx context.Context, key string, now time.Time, window time.Duration) (FailureWindow, error)
	// Window returns key's window open at now, or the zero FailureWindow.
	Window(ctx context.Context, key string, now time.Time) (FailureWindow, error)
}
