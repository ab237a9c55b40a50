package openid

import (
	"sync"
	"time"

	"go.uber.org/zap"
)

// throttledLog writes a line per key at most once per interval: a provider
// that is down fails every flow, and its outage is worth one line a
// minute, not one per request.
type throttledLog struct {
	log      *zap.Logger
	interval time.Duration
	mu       sync.Mutex
	last     map[string]time.Time
}

func newThrottledLog(log *zap.Logger, interval time.Duration) *throttledLog {
	return &throttledLog{log: log, interval: interval, last: map[string]time.Time{}}
}

func (l *throttledLog) warn(key, msg string, fields ...zap.Field) {
	now := time.Now()
	l.mu.Lock()
	if last, ok := l.last[key]; ok && now.Sub(last) < l.interval {
		l.mu.Unlock()
		return
	}
	l.last[key] = now
	l.mu.Unlock()
	l.log.Warn(msg, fields...)
}
