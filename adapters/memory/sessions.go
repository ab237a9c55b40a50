package memory

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

// SessionRepository is the in-memory outbound.SessionRepository.
type SessionRepository struct {
	store *Store
	inTx  bool
}

var _ outbound.SessionRepository = (*SessionRepository)(nil)

// Add stores a new session.
func (r *SessionRepository) Add(ctx context.Context, s *session.Session) error {
	return r.store.run(r.inTx, func(st *state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sn := s.Snapshot()
		if _, exists := st.sessions[sn.ID]; exists {
			return errSessionExists(sn.ID)
		}
		st.sessions[sn.ID] = sn
		return nil
	})
}

// Get loads a session by id.
func (r *SessionRepository) Get(ctx context.Context, id session.ID) (*session.Session, error) {
	var out *session.Session
	err := r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.sessions[id]
		if !ok {
			return session.ErrNotFound
		}
		var err error
		out, err = session.Rehydrate(sn)
		return err
	})
	return out, err
}

// Update applies fn under the store lock and saves the result if fn succeeds.
func (r *SessionRepository) Update(ctx context.Context, id session.ID, fn func(*session.Session) error) (*session.Session, error) {
	var out *session.Session
	err := r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.sessions[id]
		if !ok {
			return session.ErrNotFound
		}
		s, err := session.Rehydrate(sn)
		if err != nil {
			return err
		}
		if err := fn(s); err != nil {
			return err
		}
		st.sessions[id] = s.Snapshot()
		out = s
		return nil
	})
	return out, err
}

// ListActive returns the user's active sessions, newest first.
func (r *SessionRepository) ListActive(ctx context.Context, userID user.ID, now time.Time) ([]*session.Session, error) {
	var out []*session.Session
	err := r.store.run(r.inTx, func(st *state) error {
		active, err := activeOf(st, userID, now)
		if err != nil {
			return err
		}
		slices.SortFunc(active, func(a, b *session.Session) int {
			return cmp.Or(b.CreatedAt().Compare(a.CreatedAt()), ident.UUID(b.ID()).Compare(ident.UUID(a.ID())))
		})
		out = active
		return nil
	})
	return out, err
}

// RevokeAll revokes the user's active sessions except one.
func (r *SessionRepository) RevokeAll(ctx context.Context, userID user.ID, except session.ID, now time.Time, reason session.RevokeReason) (int, error) {
	n := 0
	err := r.store.run(r.inTx, func(st *state) error {
		active, err := activeOf(st, userID, now)
		if err != nil {
			return err
		}
		for _, s := range active {
			if s.ID() != except && s.Revoke(now, reason) {
				st.sessions[s.ID()] = s.Snapshot()
				n++
			}
		}
		return nil
	})
	return n, err
}

// DeleteAllOf removes every session of the user.
func (r *SessionRepository) DeleteAllOf(ctx context.Context, userID user.ID) error {
	return r.store.run(r.inTx, func(st *state) error {
		for id, sn := range st.sessions {
			if sn.UserID == userID {
				delete(st.sessions, id)
			}
		}
		return nil
	})
}

func activeOf(st *state, userID user.ID, now time.Time) ([]*session.Session, error) {
	var out []*session.Session
	for _, sn := range st.sessions {
		if sn.UserID != userID {
			continue
		}
		s, err := session.Rehydrate(sn)
		if err != nil {
			return nil, err
		}
		if s.IsActive(now) {
			out = append(out, s)
		}
	}
	return out, nil
}

// errSessionExists is the broken invariant of adding a session twice: ids
// are fresh UUIDv7, so it is an internal error, not a client's mistake.
func errSessionExists(id session.ID) error {
	return fmt.Errorf("memory: session %s already exists", id)
}
