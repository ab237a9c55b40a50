package redisstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// unitSessions is the SessionRepository of one unit of work.
type unitSessions struct{ u *unit }

var _ outbound.SessionRepository = unitSessions{}

// Add stages a new session. A taken id is a broken invariant (ids are fresh
// UUIDv7): an internal error. The key is WATCHed, so a session of the same
// id added meanwhile makes the unit conflict rather than overwrite it.
func (r unitSessions) Add(ctx context.Context, s *session.Session) error {
	existing, err := r.u.lookup(ctx, s.ID())
	if err != nil {
		return err
	}
	if existing != nil {
		return fmt.Errorf("redisstore: add session: id %s already exists", s.ID())
	}
	return r.u.stage(s.Snapshot(), true)
}

// Get returns the session as the unit sees it.
func (r unitSessions) Get(ctx context.Context, id session.ID) (*session.Session, error) {
	sn, err := r.u.lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	if sn == nil {
		return nil, session.ErrNotFound
	}
	return session.Rehydrate(*sn)
}

// Update reads the session optimistically (its key WATCHed), applies fn and
// stages the result. Commit fails with outbound.ErrSessionConflict if
// another unit changed the session meanwhile, and compose.Transactor then
// runs the whole unit, fn included, again. An unchanged session (a refresh
// inside the grace interval) is not written, so it makes no concurrent
// unit conflict.
func (r unitSessions) Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error) {
	sn, err := r.u.lookup(ctx, id)
	if err != nil {
		return nil, err
	}
	if sn == nil {
		return nil, session.ErrNotFound
	}
	s, err := session.Rehydrate(*sn)
	if err != nil {
		return nil, err
	}
	if err := fn(s); err != nil {
		return nil, err
	}
	if next := s.Snapshot(); !sameSnapshot(next, *sn) {
		if err := r.u.stage(next, false); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ListActive returns the user's sessions active at now, newest first.
func (r unitSessions) ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error) {
	all, err := r.u.ofUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	return activeNewestFirst(all, now)
}

// RevokeAll revokes the user's active sessions but except and says how
// many. The index is WATCHed, so a session added meanwhile makes the unit
// conflict and run again, revoking it too.
func (r unitSessions) RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (int, error) {
	active, err := r.ListActive(ctx, userID, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range active {
		if s.ID() == except || !s.Revoke(now, reason) {
			continue
		}
		if err := r.u.stage(s.Snapshot(), false); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// DeleteAllOf removes every session of the user and the user's index.
func (r unitSessions) DeleteAllOf(ctx context.Context, userID user.ID) error {
	ids, err := r.u.members(ctx, userID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		r.u.remove(session.Snapshot{ID: id, UserID: userID})
	}
	for _, w := range r.u.staged {
		if !w.deleted && w.snap.UserID == userID {
			r.u.remove(w.snap)
		}
	}
	r.u.dropped[userID] = true
	return nil
}

// activeNewestFirst rehydrates the sessions active at now, newest first
// (ties: the larger id first), as every store lists them.
func activeNewestFirst(all []session.Snapshot, now time.Time) ([]*session.Session, error) {
	var out []*session.Session
	for _, sn := range all {
		s, err := session.Rehydrate(sn)
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

// sameSnapshot compares two snapshots by value, the revocation time included.
func sameSnapshot(a, b session.Snapshot) bool {
	ar, br := a.RevokedAt, b.RevokedAt
	a.RevokedAt, b.RevokedAt = nil, nil
	if a != b || (ar == nil) != (br == nil) {
		return false
	}
	return ar == nil || ar.Equal(*br)
}
