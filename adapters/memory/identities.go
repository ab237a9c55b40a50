package memory

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

func subjectKey(provider, subject string) string { return provider + "\x00" + subject }

// IdentityRepository is the in-memory outbound.IdentityRepository.
type IdentityRepository struct {
	store *Store
	inTx  bool
}

var _ outbound.IdentityRepository = (*IdentityRepository)(nil)

// Add stores i; (provider, subject) must be free and its user must exist,
// as the SQL foreign key requires.
func (r *IdentityRepository) Add(ctx context.Context, i *identity.Identity) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return r.store.run(r.inTx, func(st *state) error {
		sn := i.Snapshot()
		if _, taken := st.subjects[subjectKey(sn.Provider, sn.Subject)]; taken {
			return identity.ErrIdentityTaken
		}
		if _, exists := st.identities[sn.ID]; exists {
			return fmt.Errorf("memory: identity %s already exists", sn.ID)
		}
		if _, ok := st.users[sn.UserID]; !ok {
			return fmt.Errorf("memory: identity %s: its user %s does not exist", sn.ID, sn.UserID)
		}
		sn.CreatedAt = micros(sn.CreatedAt)
		st.identities[sn.ID] = sn
		st.subjects[subjectKey(sn.Provider, sn.Subject)] = sn.ID
		return nil
	})
}

// Get loads an identity by id.
func (r *IdentityRepository) Get(ctx context.Context, id identity.ID) (*identity.Identity, error) {
	var out *identity.Identity
	err := r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.identities[id]
		if !ok {
			return identity.ErrNotFound
		}
		var err error
		out, err = identity.Rehydrate(sn)
		return err
	})
	return out, err
}

// FindBySubject loads the identity of a provider's subject.
func (r *IdentityRepository) FindBySubject(ctx context.Context, provider, subject string) (*identity.Identity, error) {
	var out *identity.Identity
	err := r.store.run(r.inTx, func(st *state) error {
		id, ok := st.subjects[subjectKey(provider, subject)]
		if !ok {
			return identity.ErrNotFound
		}
		var err error
		out, err = identity.Rehydrate(st.identities[id])
		return err
	})
	return out, err
}

// ListByUser returns the user's identities in id (creation) order.
func (r *IdentityRepository) ListByUser(ctx context.Context, userID user.ID) ([]*identity.Identity, error) {
	out := []*identity.Identity{}
	err := r.store.run(r.inTx, func(st *state) error {
		ids := slices.SortedFunc(maps.Keys(st.identities), func(a, b identity.ID) int {
			return ident.UUID(a).Compare(ident.UUID(b))
		})
		for _, id := range ids {
			if sn := st.identities[id]; sn.UserID == userID {
				i, err := identity.Rehydrate(sn)
				if err != nil {
					return err
				}
				out = append(out, i)
			}
		}
		return nil
	})
	return out, err
}

// Delete removes an identity.
func (r *IdentityRepository) Delete(ctx context.Context, id identity.ID) error {
	return r.store.run(r.inTx, func(st *state) error {
		sn, ok := st.identities[id]
		if !ok {
			return identity.ErrNotFound
		}
		delete(st.identities, id)
		delete(st.subjects, subjectKey(sn.Provider, sn.Subject))
		return nil
	})
}
