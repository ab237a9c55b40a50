package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// UserRepository is the in-memory outbound.UserRepository.
type UserRepository struct {
	store *Store
	inTx  bool
}

var _ outbound.UserRepository = (*UserRepository)(nil)

// Add stores a new user; the email must be unused.
func (r *UserRepository) Add(ctx context.Context, u *user.User) error {
	return r.store.run(r.inTx, func(st *state) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		sn := u.Snapshot()
		if _, taken := st.emails[sn.Email]; taken {
			return user.ErrEmailTaken
		}
		if _, exists := st.users[sn.ID]; exists {
			return fmt.Errorf("memory: user %s already exists", sn.ID)
		}
		st.users[sn.ID] = sn
		st.emails[sn.Email] = sn.ID
		return nil
	})
}

// Get loads a user by id.
func (r *UserRepository) Get(ctx context.Context, id user.ID) (*user.User, error) {
	var out *user.User
	err := r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.users[id]
		if !ok {
			return user.ErrNotFound
		}
		var err error
		out, err = user.Rehydrate(sn)
		return err
	})
	return out, err
}

// FindByEmail loads a user by normalised email.
func (r *UserRepository) FindByEmail(ctx context.Context, email user.Email) (*user.User, error) {
	var out *user.User
	err := r.store.run(r.inTx, func(st *state) error {
		id, ok := st.emails[email.String()]
		if !ok {
			return user.ErrNotFound
		}
		var err error
		out, err = user.Rehydrate(st.users[id])
		return err
	})
	return out, err
}

// Update applies fn to the stored user and saves the result if fn succeeds.
func (r *UserRepository) Update(ctx context.Context, id user.ID, fn func(*user.User) error) (*user.User, error) {
	var out *user.User
	err := r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.users[id]
		if !ok {
			return user.ErrNotFound
		}
		u, err := user.Rehydrate(sn)
		if err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
		next := u.Snapshot()
		if next.Email != sn.Email {
			if _, taken := st.emails[next.Email]; taken {
				return user.ErrEmailTaken
			}
			delete(st.emails, sn.Email)
			st.emails[next.Email] = id
		}
		st.users[id] = next
		out = u
		return nil
	})
	return out, err
}

// Delete removes the user (its sessions are the use case's business).
func (r *UserRepository) Delete(ctx context.Context, id user.ID) error {
	return r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.users[id]
		if !ok {
			return user.ErrNotFound
		}
		delete(st.users, id)
		delete(st.emails, sn.Email)
		st.dropUser(id)
		return nil
	})
}

// List pages through users in id order.
func (r *UserRepository) List(ctx context.Context, q outbound.UserQuery) ([]*user.User, error) {
	var out []*user.User
	err := r.store.run(r.inTx, func(st *state) error {
		ids := slices.SortedFunc(maps.Keys(st.users), compareIDs)
		for _, id := range ids {
			if len(out) == q.Limit {
				break
			}
			sn := st.users[id]
			if (!q.After.IsZero() && compareIDs(id, q.After) <= 0) || !strings.HasPrefix(sn.Email, q.EmailPrefix) {
				continue
			}
			u, err := user.Rehydrate(sn)
			if err != nil {
				return err
			}
			out = append(out, u)
		}
		return nil
	})
	return out, err
}

func compareIDs(a, b user.ID) int { return ident.UUID(a).Compare(ident.UUID(b)) }
