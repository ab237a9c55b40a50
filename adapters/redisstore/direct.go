package redisstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// maxDirectAttempts bounds how often a write outside a unit of work runs
// again after a conflict: enough for a few dozen writers racing on one
// session, each of which wins a round.
const maxDirectAttempts = 64

// direct is the SessionRepository outside a unit of work. Reads are plain
// reads (the principal lookup of every authenticated request is one GET);
// each write is a unit of its own, run again on a conflict.
type direct struct{ s *SessionStore }

var _ outbound.SessionRepository = direct{}

// Get loads a session.
func (d direct) Get(ctx context.Context, id session.ID) (*session.Session, error) {
	var raw string
	err := d.s.call(ctx, "get session", func(ctx context.Context) error {
		var err error
		raw, err = d.s.client.Get(ctx, sessionKey(id)).Result()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, session.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	sn, err := decodeSession(id, raw)
	if err != nil {
		return nil, err
	}
	return session.Rehydrate(sn)
}

// ListActive reads the user's index, then the sessions it names, and
// returns those active at now, newest first. Members whose session key has
// expired are removed from the index on the way.
func (d direct) ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error) {
	var raw []string
	err := d.s.call(ctx, "read user index", func(ctx context.Context) error {
		var err error
		raw, err = d.s.client.ZRange(ctx, userKey(userID), 0, -1).Result()
		return err
	})
	if err != nil {
		return nil, err
	}
	ids, err := parseMembers(userID, raw)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = sessionKey(id)
	}
	var values []any
	err = d.s.call(ctx, "read sessions", func(ctx context.Context) error {
		var err error
		values, err = d.s.client.MGet(ctx, keys...).Result()
		return err
	})
	if err != nil {
		return nil, err
	}
	var all []session.Snapshot
	var expired []session.ID
	for i, v := range values {
		raw, ok := v.(string)
		if v == nil {
			expired = append(expired, ids[i])
			continue
		}
		if !ok {
			return nil, fmt.Errorf("redisstore: stored session %s is not a string", ids[i])
		}
		sn, err := decodeSession(ids[i], raw)
		if err != nil {
			return nil, err
		}
		if sn.UserID == userID {
			all = append(all, sn)
		}
	}
	if len(expired) > 0 {
		// Best effort: a member left behind is pruned by the next reader.
		_ = d.s.call(ctx, "prune user index", func(ctx context.Context) error {
			return d.s.client.ZRem(ctx, userKey(userID), members(expired)...).Err()
		})
	}
	return activeNewestFirst(all, now)
}

// run runs op as a unit of its own, again while it conflicts.
func (d direct) run(ctx context.Context, op func(outbound.SessionRepository) error) error {
	for attempt := 1; ; attempt++ {
		u := newUnit(d.s)
		err := op(unitSessions{u})
		if err != nil {
			u.Rollback()
			return err
		}
		err = u.Commit(ctx, nil)
		if !errors.Is(err, outbound.ErrSessionConflict) || attempt >= maxDirectAttempts {
			return err
		}
	}
}

// Add stores a new session.
func (d direct) Add(ctx context.Context, s *session.Session) error {
	return d.run(ctx, func(r outbound.SessionRepository) error { return r.Add(ctx, s) })
}

// Update applies fn to the session and saves the result if fn succeeds.
// Concurrent Updates settle optimistically: all but one conflict and run
// fn again on what the winner saved.
func (d direct) Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (out *session.Session, err error) {
	err = d.run(ctx, func(r outbound.SessionRepository) error {
		out, err = r.Update(ctx, id, fn)
		return err
	})
	return out, err
}

// RevokeAll revokes the user's active sessions but except.
func (d direct) RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (n int, err error) {
	err = d.run(ctx, func(r outbound.SessionRepository) error {
		n, err = r.RevokeAll(ctx, userID, except, now, reason)
		return err
	})
	return n, err
}

// DeleteAllOf removes every session of the user.
func (d direct) DeleteAllOf(ctx context.Context, userID user.ID) error {
	return d.run(ctx, func(r outbound.SessionRepository) error { return r.DeleteAllOf(ctx, userID) })
}
