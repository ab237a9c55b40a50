package memory

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// SessionStore keeps sessions apart from any user store, the way a Redis
// session store does, and implements outbound.SessionStore: a unit of work
// stages its writes, reads optimistically, and commits them together with
// a batch of audit events, or fails with outbound.ErrSessionConflict when a
// session it read changed meanwhile. The events are imported into the
// audit log given at construction right after their commit, as the Redis
// store does (its drainer catching up on what a failed import left). Tests
// use it to prove that the use cases and the contract suites hold when
// sessions live elsewhere.
type SessionStore struct {
	mu       sync.Mutex
	sessions map[session.ID]storedSession
	// version counts commits, so that a session deleted and added again
	// never shows an earlier version.
	version uint64
	sink    outbound.AuditImporter
}

type storedSession struct {
	snap    session.Snapshot
	version uint64
}

var _ outbound.SessionStore = (*SessionStore)(nil)

// NewSessionStore returns an empty store whose committed events go to sink
// (nil: nowhere).
func NewSessionStore(sink outbound.AuditImporter) *SessionStore {
	return &SessionStore{sessions: map[session.ID]storedSession{}, sink: sink}
}

// Begin opens a unit of work.
func (s *SessionStore) Begin(ctx context.Context) (outbound.SessionUnit, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &sessionUnit{store: s, seen: map[session.ID]uint64{}, staged: map[session.ID]*session.Snapshot{}}, nil
}

// Sessions returns a repository that works outside any unit of work: each
// call is a unit of its own, run again on a conflict.
func (s *SessionStore) Sessions() outbound.SessionRepository { return autoCommit{store: s} }

// sessionUnit is one unit of work: the versions it saw and the writes it
// staged (nil: deleted).
type sessionUnit struct {
	store  *SessionStore
	seen   map[session.ID]uint64
	staged map[session.ID]*session.Snapshot
	done   bool
}

func (u *sessionUnit) Sessions() outbound.SessionRepository { return unitSessions{u} }

// Commit checks that nothing the unit saw has changed, then applies the
// staged writes and hands the events on.
func (u *sessionUnit) Commit(ctx context.Context, events []audit.Event) error {
	if u.done {
		return nil
	}
	u.done = true
	st := u.store
	st.mu.Lock()
	for id, v := range u.seen {
		if st.sessions[id].version != v {
			st.mu.Unlock()
			return outbound.ErrSessionConflict
		}
	}
	st.version++
	for id, snap := range u.staged {
		if snap == nil {
			delete(st.sessions, id)
			continue
		}
		st.sessions[id] = storedSession{snap: *snap, version: st.version}
	}
	st.mu.Unlock()
	if st.sink == nil || len(events) == 0 {
		return nil
	}
	return st.sink.Import(ctx, events)
}

func (u *sessionUnit) Rollback() { u.done = true }

// lookup returns the session as the unit sees it, noting the version of
// what it read from the store.
func (u *sessionUnit) lookup(id session.ID) (session.Snapshot, bool) {
	if snap, ok := u.staged[id]; ok {
		if snap == nil {
			return session.Snapshot{}, false
		}
		return *snap, true
	}
	u.store.mu.Lock()
	stored, ok := u.store.sessions[id]
	u.store.mu.Unlock()
	if _, noted := u.seen[id]; !noted {
		u.seen[id] = stored.version
	}
	return stored.snap, ok
}

// ofUser returns every session of the user as the unit sees them.
func (u *sessionUnit) ofUser(userID user.ID) []session.Snapshot {
	u.store.mu.Lock()
	var ids []session.ID
	for id, stored := range u.store.sessions {
		if stored.snap.UserID == userID {
			ids = append(ids, id)
		}
	}
	u.store.mu.Unlock()
	for id, snap := range u.staged {
		if snap != nil && snap.UserID == userID && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	var out []session.Snapshot
	for _, id := range ids {
		if snap, ok := u.lookup(id); ok && snap.UserID == userID {
			out = append(out, snap)
		}
	}
	return out
}

func (u *sessionUnit) stage(s *session.Session) {
	snap := s.Snapshot()
	u.staged[snap.ID] = &snap
}

// unitSessions is the SessionRepository of one unit.
type unitSessions struct{ u *sessionUnit }

func (r unitSessions) Add(ctx context.Context, s *session.Session) error {
	if _, exists := r.u.lookup(s.ID()); exists {
		return errSessionExists(s.ID())
	}
	r.u.stage(s)
	return ctx.Err()
}

func (r unitSessions) Get(_ context.Context, id session.ID) (*session.Session, error) {
	snap, ok := r.u.lookup(id)
	if !ok {
		return nil, session.ErrNotFound
	}
	return session.Rehydrate(snap)
}

func (r unitSessions) Update(_ context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error) {
	snap, ok := r.u.lookup(id)
	if !ok {
		return nil, session.ErrNotFound
	}
	s, err := session.Rehydrate(snap)
	if err != nil {
		return nil, err
	}
	if err := fn(s); err != nil {
		return nil, err
	}
	// An unchanged session (a refresh inside the grace interval) is not
	// written, so it does not make concurrent units that read it conflict.
	if !sameSnapshot(s.Snapshot(), snap) {
		r.u.stage(s)
	}
	return s, nil
}

// sameSnapshot compares two snapshots by value, the revocation time included.
func sameSnapshot(a, b session.Snapshot) bool {
	ar, br := a.RevokedAt, b.RevokedAt
	a.RevokedAt, b.RevokedAt = nil, nil
	if a != b || (ar == nil) != (br == nil) {
		return false
	}
	return ar == nil || ar.Equal(*br)
}

func (r unitSessions) ListActive(_ context.Context, userID user.ID, now time.Time) ([]*session.Session, error) {
	var out []*session.Session
	for _, snap := range r.u.ofUser(userID) {
		s, err := session.Rehydrate(snap)
		if err != nil {
			return nil, err
		}
		if s.IsActive(now) {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b *session.Session) int {
		return cmp.Or(b.CreatedAt().Compare(a.CreatedAt()), ident.UUID(b.ID()).Compare(ident.UUID(a.ID())))
	})
	return out, nil
}

func (r unitSessions) RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (int, error) {
	active, err := r.ListActive(ctx, userID, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range active {
		if s.ID() != except && s.Revoke(now, reason) {
			r.u.stage(s)
			n++
		}
	}
	return n, nil
}

func (r unitSessions) DeleteAllOf(_ context.Context, userID user.ID) error {
	for _, snap := range r.u.ofUser(userID) {
		r.u.staged[snap.ID] = nil
	}
	return nil
}

// autoCommit runs each call as a unit of its own, again on a conflict.
type autoCommit struct{ store *SessionStore }

func (a autoCommit) run(ctx context.Context, fn func(outbound.SessionRepository) error) error {
	for {
		unit, err := a.store.Begin(ctx)
		if err != nil {
			return err
		}
		if err := fn(unit.Sessions()); err != nil {
			unit.Rollback()
			return err
		}
		if err := unit.Commit(ctx, nil); !errors.Is(err, outbound.ErrSessionConflict) {
			return err
		}
	}
}

func (a autoCommit) Add(ctx context.Context, s *session.Session) error {
	return a.run(ctx, func(r outbound.SessionRepository) error { return r.Add(ctx, s) })
}

func (a autoCommit) Get(ctx context.Context, id session.ID) (out *session.Session, err error) {
	err = a.run(ctx, func(r outbound.SessionRepository) error { out, err = r.Get(ctx, id); return err })
	return out, err
}

func (a autoCommit) Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (out *session.Session, err error) {
	err = a.run(ctx, func(r outbound.SessionRepository) error { out, err = r.Update(ctx, id, fn); return err })
	return out, err
}

func (a autoCommit) ListActive(ctx context.Context, userID user.ID, now time.Time) (out []*session.Session, err error) {
	err = a.run(ctx, func(r outbound.SessionRepository) error { out, err = r.ListActive(ctx, userID, now); return err })
	return out, err
}

func (a autoCommit) RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (n int, err error) {
	err = a.run(ctx, func(r outbound.SessionRepository) error {
		n, err = r.RevokeAll(ctx, userID, except, now, reason)
		return err
	})
	return n, err
}

func (a autoCommit) DeleteAllOf(ctx context.Context, userID user.ID) error {
	return a.run(ctx, func(r outbound.SessionRepository) error { return r.DeleteAllOf(ctx, userID) })
}
