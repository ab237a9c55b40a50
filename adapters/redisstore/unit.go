package redisstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// write is one staged change of a session: its new state, encoded, or its
// deletion (snap then says whose index it leaves).
type write struct {
	snap    session.Snapshot
	value   string
	deleted bool
	added   bool // new in this unit: it joins its user's index
}

// unit is one unit of work: what it read (and WATCHed) on its own
// connection, and the writes it staged.
type unit struct {
	s    *SessionStore
	conn *redis.Conn // nil until the first read
	// read holds each session as read from Redis; nil: the key was missing.
	read map[session.ID]*session.Snapshot
	// indexes holds the members of each user index read.
	indexes map[user.ID][]session.ID
	staged  map[session.ID]*write
	// prune lists index members whose session key has expired.
	prune map[user.ID][]session.ID
	// dropped are the indexes DeleteAllOf removes.
	dropped map[user.ID]bool
	// execAttempted: the connection's WATCHes are spent (EXEC clears them,
	// or the connection broke and is discarded).
	execAttempted bool
	done          bool
}

var _ outbound.SessionUnit = (*unit)(nil)

func newUnit(s *SessionStore) *unit {
	return &unit{
		s: s, read: map[session.ID]*session.Snapshot{}, indexes: map[user.ID][]session.ID{},
		staged: map[session.ID]*write{}, prune: map[user.ID][]session.ID{}, dropped: map[user.ID]bool{},
	}
}

// Sessions is the unit's repository: reads see the unit's writes, writes
// wait for Commit.
func (u *unit) Sessions() outbound.SessionRepository { return unitSessions{u} }

// connection is the unit's own connection, on which its WATCHes live.
func (u *unit) connection() *redis.Conn {
	if u.conn == nil {
		u.conn = u.s.client.Conn()
	}
	return u.conn
}

// load reads the sessions the unit has not read yet, WATCHing each key
// before reading it: one round trip for any number of them.
func (u *unit) load(ctx context.Context, ids []session.ID) error {
	var want []session.ID
	for _, id := range ids {
		if _, ok := u.read[id]; !ok && !slices.Contains(want, id) {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return nil
	}
	keys := make([]string, len(want))
	watch := []any{"watch"}
	for i, id := range want {
		keys[i] = sessionKey(id)
		watch = append(watch, keys[i])
	}
	var values []any
	err := u.s.call(ctx, "read sessions", func(ctx context.Context) error {
		var get *redis.SliceCmd
		_, err := u.connection().Pipelined(ctx, func(p redis.Pipeliner) error {
			p.Do(ctx, watch...)
			get = p.MGet(ctx, keys...)
			return nil
		})
		values = get.Val()
		return err
	})
	if err != nil {
		return err
	}
	for i, id := range want {
		u.read[id] = nil
		if values[i] == nil {
			continue
		}
		raw, ok := values[i].(string)
		if !ok {
			return fmt.Errorf("redisstore: stored session %s is not a string", id)
		}
		sn, err := decodeSession(id, raw)
		if err != nil {
			return err
		}
		u.read[id] = &sn
	}
	return nil
}

// current is the session as the unit sees it, once loaded: staged writes
// first. nil: it does not exist.
func (u *unit) current(id session.ID) *session.Snapshot {
	if w, ok := u.staged[id]; ok {
		if w.deleted {
			return nil
		}
		return &w.snap
	}
	return u.read[id]
}

// lookup loads one session and returns it as the unit sees it.
func (u *unit) lookup(ctx context.Context, id session.ID) (*session.Snapshot, error) {
	if _, ok := u.staged[id]; !ok {
		if err := u.load(ctx, []session.ID{id}); err != nil {
			return nil, err
		}
	}
	return u.current(id), nil
}

// members reads the user's index, WATCHing it first, so that a session
// added or removed meanwhile by another unit makes this one conflict.
func (u *unit) members(ctx context.Context, userID user.ID) ([]session.ID, error) {
	if ids, ok := u.indexes[userID]; ok {
		return ids, nil
	}
	key := userKey(userID)
	var raw []string
	err := u.s.call(ctx, "read user index", func(ctx context.Context) error {
		var rng *redis.StringSliceCmd
		_, err := u.connection().Pipelined(ctx, func(p redis.Pipeliner) error {
			p.Do(ctx, "watch", key)
			rng = p.ZRange(ctx, key, 0, -1)
			return nil
		})
		raw = rng.Val()
		return err
	})
	if err != nil {
		return nil, err
	}
	ids, err := parseMembers(userID, raw)
	if err != nil {
		return nil, err
	}
	u.indexes[userID] = ids
	return ids, nil
}

// ofUser returns every session of the user as the unit sees them: those of
// the index and those the unit added. Members whose key has expired are
// noted for pruning.
func (u *unit) ofUser(ctx context.Context, userID user.ID) ([]session.Snapshot, error) {
	ids, err := u.members(ctx, userID)
	if err != nil {
		return nil, err
	}
	if err := u.load(ctx, ids); err != nil {
		return nil, err
	}
	var out []session.Snapshot
	for _, id := range ids {
		if _, staged := u.staged[id]; !staged && u.read[id] == nil && !slices.Contains(u.prune[userID], id) {
			u.prune[userID] = append(u.prune[userID], id)
		}
		if sn := u.current(id); sn != nil && sn.UserID == userID {
			out = append(out, *sn)
		}
	}
	for id, w := range u.staged {
		if !w.deleted && w.snap.UserID == userID && !slices.Contains(ids, id) {
			out = append(out, w.snap)
		}
	}
	return out, nil
}

// stage records the new state of a session.
func (u *unit) stage(sn session.Snapshot, added bool) error {
	value, err := encodeSession(sn)
	if err != nil {
		return err
	}
	if prev, ok := u.staged[sn.ID]; ok && prev.added && !prev.deleted {
		added = true
	}
	u.staged[sn.ID] = &write{snap: sn, value: value, added: added}
	return nil
}

// remove records the deletion of a session.
func (u *unit) remove(sn session.Snapshot) {
	u.staged[sn.ID] = &write{snap: sn, deleted: true}
}

// parseMembers reads the session ids of a user index. A member that is not
// a session id is a broken invariant: only this package writes indexes.
func parseMembers(userID user.ID, raw []string) ([]session.ID, error) {
	ids := make([]session.ID, len(raw))
	for i, m := range raw {
		id, err := session.ParseID(m)
		if err != nil {
			return nil, fmt.Errorf("redisstore: the session index of user %s holds a malformed id", userID)
		}
		ids[i] = id
	}
	return ids, nil
}

// members turns session ids into index members.
func members(ids []session.ID) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out
}
