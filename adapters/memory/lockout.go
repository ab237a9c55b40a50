package memory

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/authd/authd/ports/outbound"
)

// LoginFailures counts failed sign-in attempts in memory, for tests and
// demos: one process only, and gone at restart.
type LoginFailures struct {
	mu      sync.Mutex
	windows map[string]outbound.FailureWindow
}

var (
	_ outbound.LoginFailures = (*LoginFailures)(nil)
	_ outbound.Sweeper       = (*LoginFailures)(nil)
)

// NewLoginFailures returns an empty counter.
func NewLoginFailures() *LoginFailures {
	return &LoginFailures{windows: map[string]outbound.FailureWindow{}}
}

// Fail counts one failure of key at now, opening a window if none is open.
func (l *LoginFailures) Fail(ctx context.Context, key string, now time.Time, window time.Duration) (outbound.FailureWindow, error) {
	if err := ctx.Err(); err != nil {
		return outbound.FailureWindow{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if !now.Before(w.Ends) {
		// Microseconds, as the SQL stores keep them.
		w = outbound.FailureWindow{Ends: now.UTC().Add(window).Truncate(time.Microsecond)}
	}
	w.Failures++
	l.windows[key] = w
	return w, nil
}

// Window returns key's window open at now.
func (l *LoginFailures) Window(ctx context.Context, key string, now time.Time) (outbound.FailureWindow, error) {
	if err := ctx.Err(); err != nil {
		return outbound.FailureWindow{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.windows[key]
	if !now.Before(w.Ends) {
		return outbound.FailureWindow{}, nil
	}
	return w, nil
}

// Name says what Sweep removes.
func (l *LoginFailures) Name() string { return "login_failures" }

// Sweep forgets at most limit windows that closed before now, earliest
// first.
func (l *LoginFailures) Sweep(ctx context.Context, now time.Time, limit int) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var closed []string
	for k, w := range l.windows {
		if !now.Before(w.Ends) {
			closed = append(closed, k)
		}
	}
	sort.Slice(closed, func(i, j int) bool { return l.windows[closed[i]].Ends.Before(l.windows[closed[j]].Ends) })
	if len(closed) > limit {
		closed = closed[:limit]
	}
	for _, k := range closed {
		delete(l.windows, k)
	}
	return len(closed), nil
}
