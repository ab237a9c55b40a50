package redisstore

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
)

// Commit applies the staged writes and appends the events to the audit
// stream in one MULTI/EXEC, which aborts when a key the unit read has
// changed: then nothing is applied and Commit fails with
// outbound.ErrSessionConflict. Committed events are imported into the
// audit log right away; the drainer takes whatever that leaves.
func (u *unit) Commit(ctx context.Context, events []audit.Event) error {
	if u.done {
		return nil
	}
	u.done = true
	defer u.release() // on every path; once released, it does nothing
	if len(u.staged) == 0 && len(u.dropped) == 0 && len(events) == 0 {
		u.release()
		u.pruneAside(ctx)
		return nil
	}
	encoded := make([]string, len(events))
	for i, e := range events {
		var err error
		if encoded[i], err = encodeEvent(e); err != nil {
			return err
		}
	}
	var added []*redis.StringCmd
	queue := func(p redis.Pipeliner) error {
		u.queueWrites(ctx, p)
		for _, e := range encoded {
			added = append(added, p.XAdd(ctx, &redis.XAddArgs{Stream: streamKey, Values: []string{eventField, e}}))
		}
		return nil
	}
	u.execAttempted = true
	err := u.s.call(ctx, "commit", func(ctx context.Context) error {
		var err error
		if u.conn != nil {
			_, err = u.conn.TxPipelined(ctx, queue)
		} else {
			// A unit that read nothing watches nothing.
			_, err = u.s.client.TxPipelined(ctx, queue)
		}
		return err
	})
	// The connection goes back to the pool before the events go to the
	// database: a unit must never hold a Redis connection while it waits
	// for a database connection, since units inside a database transaction
	// wait for Redis connections (the pools would deadlock until timeout).
	u.release()
	if err != nil {
		return err
	}
	ids := make([]string, len(added))
	for i, cmd := range added {
		ids[i] = cmd.Val()
	}
	u.s.handOff(ctx, events, ids)
	return nil
}

// queueWrites queues the unit's writes: removed indexes first (so that a
// session added after DeleteAllOf in the same unit is indexed again), then
// each session with its index entry, then index upkeep: members past their
// absolute deadline go, and the index lives as long as its longest-lived
// member (NX sets the expiry of a new index, GT only ever raises it).
func (u *unit) queueWrites(ctx context.Context, p redis.Pipeliner) {
	for userID := range u.dropped {
		p.Del(ctx, userKey(userID))
	}
	grown := map[user.ID]int64{}
	for id, w := range u.staged {
		key, index := sessionKey(id), userKey(w.snap.UserID)
		if w.deleted {
			p.Del(ctx, key)
			p.ZRem(ctx, index, id.String())
			continue
		}
		p.Do(ctx, "set", key, w.value, "pxat", deadline(w.snap))
		if w.added {
			end := absolute(w.snap)
			p.ZAdd(ctx, index, redis.Z{Score: float64(end), Member: id.String()})
			grown[w.snap.UserID] = max(grown[w.snap.UserID], end)
		}
	}
	for userID, ids := range u.prune {
		p.ZRem(ctx, userKey(userID), members(ids)...)
	}
	passed := "(" + strconv.FormatInt(time.Now().UnixMilli(), 10)
	for userID, end := range grown {
		index := userKey(userID)
		p.ZRemRangeByScore(ctx, index, "-inf", passed)
		p.Do(ctx, "pexpireat", index, end, "nx")
		p.Do(ctx, "pexpireat", index, end, "gt")
	}
}

// pruneAside removes expired members found by a unit that writes nothing,
// outside any transaction: it changes no answer, so it needs no WATCH, and
// a failure leaves the members for the next reader.
func (u *unit) pruneAside(ctx context.Context) {
	for userID, ids := range u.prune {
		_ = u.s.call(ctx, "prune user index", func(ctx context.Context) error {
			return u.s.client.ZRem(ctx, userKey(userID), members(ids)...).Err()
		})
	}
}

// Rollback drops the staged writes; after Commit it does nothing.
func (u *unit) Rollback() {
	if u.done {
		return
	}
	u.done = true
	u.release()
}

// release hands the connection back, its WATCHes cleared, so that the next
// user of the connection does not inherit them.
func (u *unit) release() {
	if u.conn == nil {
		return
	}
	if !u.execAttempted {
		ctx, cancel := context.WithTimeout(context.Background(), u.s.timeout)
		// A failed UNWATCH marks the connection bad: Close discards it.
		_ = u.conn.Do(ctx, "unwatch").Err()
		cancel()
	}
	_ = u.conn.Close()
	u.conn = nil
}
