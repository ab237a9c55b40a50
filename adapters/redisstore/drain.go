package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
	"go.uber.org/zap"

	"github.com/authd/authd/domain/audit"
)

const (
	// drainBatch is how many stream entries one import takes: one INSERT.
	drainBatch = 256
	// importTimeout bounds one import into the audit log.
	importTimeout = 10 * time.Second
)

// handOff imports the events a unit just committed and, once the import
// has committed, deletes them from the stream. A failure leaves them there
// for the drainer, which it wakes. The request has its answer already (the
// change committed), so a client that goes away does not cut this short.
func (s *SessionStore) handOff(ctx context.Context, events []audit.Event, ids []string) {
	if len(events) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handOffTimeout)
	defer cancel()
	if err := s.importer.Import(ctx, events); err != nil {
		s.wakeDrainer()
		return
	}
	// A failed delete only means the drainer imports them again, which
	// the importer skips, and deletes them then.
	_ = s.call(ctx, "trim audit stream", func(ctx context.Context) error {
		return s.client.XDel(ctx, streamKey, ids...).Err()
	})
}

func (s *SessionStore) wakeDrainer() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Drain moves the audit events waiting in the stream into the audit log,
// oldest first, a batch at a time, and says how many it moved. An entry is
// deleted only after the import that holds it committed; the importer skips
// events it holds already, so an entry imported twice (by the unit that
// committed it and by a drainer, or by the drainers of two instances) lands
// once. An entry that does not decode cannot be imported by anyone: it is
// logged by its stream id and deleted.
func (s *SessionStore) Drain(ctx context.Context) (int, error) {
	moved := 0
	for {
		var entries []redis.XMessage
		err := s.call(ctx, "read audit stream", func(ctx context.Context) error {
			var err error
			entries, err = s.client.XRangeN(ctx, streamKey, "-", "+", drainBatch).Result()
			return err
		})
		if err != nil || len(entries) == 0 {
			return moved, err
		}
		events := make([]audit.Event, 0, len(entries))
		ids := make([]string, len(entries))
		for i, entry := range entries {
			ids[i] = entry.ID
			raw, _ := entry.Values[eventField].(string)
			e, err := decodeEvent(raw)
			if err != nil {
				s.log.Error("audit stream: dropping an entry that is not an audit event",
					zap.String("entry", entry.ID), zap.Error(err))
				continue
			}
			events = append(events, e)
		}
		if len(events) > 0 {
			ictx, cancel := context.WithTimeout(ctx, importTimeout)
			err := s.importer.Import(ictx, events)
			cancel()
			if err != nil {
				return moved, fmt.Errorf("redisstore: import audit events: %w", err)
			}
		}
		err = s.call(ctx, "trim audit stream", func(ctx context.Context) error {
			return s.client.XDel(ctx, streamKey, ids...).Err()
		})
		if err != nil {
			return moved, err
		}
		moved += len(events)
		if len(entries) < drainBatch {
			return moved, nil
		}
	}
}

// RunDrainer drains the stream every interval, and at once when a unit's
// own import failed, until ctx ends. A drain that keeps failing (the
// database or Redis down) is logged once a minute at most; the events wait
// in Redis meanwhile, and the next drain that works moves them.
func (s *SessionStore) RunDrainer(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if _, err := s.Drain(ctx); err != nil && ctx.Err() == nil && s.drainWarn.allow() {
			s.log.Warn("audit events wait in redis: moving them to the audit log failed; retrying", zap.Error(err))
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-s.kick:
		}
	}
}

// Pending says how many audit events wait in the stream.
func (s *SessionStore) Pending(ctx context.Context) (int64, error) {
	var n int64
	err := s.call(ctx, "measure audit stream", func(ctx context.Context) error {
		var err error
		n, err = s.client.XLen(ctx, streamKey).Result()
		return err
	})
	return n, err
}
