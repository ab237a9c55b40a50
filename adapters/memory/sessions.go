package memory

import (
	"cmp"
	"context"
	"slices"
	"time"

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

// Add stores a new session of an existing user.
func (r *SessionRepository) Add(ctx context.Context, s *session.Session) error {
	return r.store.run(r.inTx, func(st *state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sn := s.Snapshot()
		if _, ok := st.users[sn.UserID]; !ok {
			return user.ErrNotFound
		}
		if _, exists := st.sessions[sn.ID]; exists {
			return user.Invalid("id", "already exists")
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
			return cmp.Or(b.CreatedAt().Compare(a.CreatedAt()), cmp.Compare(b.ID(), a.ID()))
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

// RevokeBeyondCap keeps the keep most recently used active sessions.
func (r *SessionRepository) RevokeBeyondCap(ctx context.Context, userID user.ID, keep int, now time.Time) (int, error) {
	n := 0
	err := r.store.run(r.inTx, func(st *state) error {
		active, err := activeOf(st, userID, now)
		if err != nil {
			return err
		}
		slices.SortFunc(active, func(a, b *session.Session) int {
			return cmp.Or(b.LastUsedAt().Compare(a.LastUsedAt()), b.CreatedAt().Compare(a.CreatedAt()), cmp.Compare(b.ID(), a.ID()))
		})
		for _, s := range active[min(max(keep, 0), len(active)):] {
			s.Revoke(now, session.ReasonEvicted)
			st.sessions[s.ID()] = s.Snapshot()
			n++
		}
		return nil
	})
	return n, err
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
