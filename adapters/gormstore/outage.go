package gormstore

import (
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// outageLogEvery is how often, at most, database failures are logged: once
// when they start, then once per interval with how many there were, never
// once per request.
const outageLogEvery = time.Minute

// outageLog reports the failures that make the database unavailable. The
// lines carry the cause chosen by unavailableCause, never a driver
// message, so never the DSN's user, database, host or password.
type outageLog struct {
	log *zap.Logger
	now func() time.Time

	// down is read without the lock on every success, the hot path.
	down atomic.Bool

	mu      sync.Mutex
	last    time.Time // when the last warning was written
	pending int       // failures since then
	cause   string    // the latest cause
}

func newOutageLog(log *zap.Logger) *outageLog {
	if log == nil {
		log = zap.NewNop()
	}
	return &outageLog{log: log, now: time.Now}
}

// failed counts one failure and logs when the interval has passed.
func (o *outageLog) failed(op, cause string) {
	o.mu.Lock()
	now := o.now()
	o.down.Store(true)
	o.pending++
	o.cause = cause
	if !o.last.IsZero() && now.Sub(o.last) < outageLogEvery {
		o.mu.Unlock()
		return
	}
	n := o.pending
	o.pending, o.last = 0, now
	o.mu.Unlock()
	o.log.Warn("database unavailable; requests that need it are answered 503",
		zap.String("operation", op), zap.String("cause", cause),
		zap.Int("failures", n), zap.Duration("interval", outageLogEvery))
}

// succeeded notes that the database answered, and logs the end of an
// outage once.
func (o *outageLog) succeeded() {
	if !o.down.Load() {
		return
	}
	o.mu.Lock()
	if !o.down.Swap(false) {
		o.mu.Unlock()
		return
	}
	n := o.pending
	o.pending = 0
	o.mu.Unlock()
	o.log.Info("database reachable again", zap.Int("failures_since_last_warning", n))
}
