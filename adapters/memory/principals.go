package memory

import (
	"context"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// PrincipalLookup is the in-memory outbound.PrincipalLookup.
type PrincipalLookup struct{ store *Store }

var _ outbound.PrincipalLookup = (*PrincipalLookup)(nil)

// LoadPrincipal returns a session and its user.
func (p *PrincipalLookup) LoadPrincipal(ctx context.Context, id session.ID) (outbound.Principal, error) {
	var out outbound.Principal
	err := p.store.run(false, func(st *state) error {
		sn, ok := st.sessions[id]
		if !ok {
			return session.ErrNotFound
		}
		un, ok := st.users[sn.UserID]
		if !ok {
			return session.ErrNotFound
		}
		s, err := session.Rehydrate(sn)
		if err != nil {
			return err
		}
		u, err := user.Rehydrate(un)
		if err != nil {
			return err
		}
		out = outbound.Principal{Session: s, User: u}
		return nil
	})
	return out, err
}
