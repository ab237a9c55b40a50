package redisstore

import (
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// logEvery is how often, at most, an outage (or a recovery, or a failing
// drain) is logged: once when it starts and then as a reminder, never once
// per request.
const logEvery = time.Minute

// everyMinute lets a line through once per logEvery.
type everyMinute struct {
	mu   sync.Mutex
	last time.Time
}

// allow reports whether a line may be logged now, and if so counts it.
func (e *everyMinute) allow() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now()
	if !e.last.IsZero() && now.Sub(e.last) < logEvery {
		return false
	}
	e.last = now
	return true
}

// health follows whether Redis answers, to log an outage when it starts
// (and then once a minute) and its end once.
type health struct {
	down     atomic.Bool
	log      *zap.Logger
	warn     everyMinute
	recovery everyMinute
}

func newHealth(log *zap.Logger) *health {
	return &health{log: log}
}

// failed notes a call Redis did not answer.
func (h *health) failed(err error) {
	h.down.Store(true)
	if h.warn.allow() {
		h.log.Warn("session store: redis unreachable; authenticated requests and refreshes answer 503 until it is back",
			zap.Error(err))
	}
}

// answered notes a call Redis answered; cheap when nothing was wrong.
func (h *health) answered() {
	if !h.down.Load() || !h.down.CompareAndSwap(true, false) {
		return
	}
	if h.recovery.allow() {
		h.log.Info("session store: redis reachable again")
	}
}
