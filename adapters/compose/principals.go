package compose

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// PrincipalLookup loads a session, then its user: two lookups by primary key.
type PrincipalLookup struct {
	Sessions outbound.SessionRepository
	Users    outbound.UserRepository
}

var _ outbound.PrincipalLookup = PrincipalLookup{}

// LoadPrincipal returns the session and its user. A session whose user is
// gone is not found, as the contract of the port says: the session is
// unusable, whatever its own state.
func (p PrincipalLookup) LoadPrincipal(ctx context.Context, id session.ID) (outbound.Principal, error) {
	s, err := p.Sessions.Get(ctx, id)
	if err != nil {
		return outbound.Principal{}, err
	}
	u, err := p.Users.Get(ctx, s.UserID())
	if errors.Is(err, user.ErrNotFound) {
		return outbound.Principal{}, session.ErrNotFound
	}
	if err != nil {
		return outbound.Principal{}, err
	}
	return outbound.Principal{Session: s, User: u}, nil
}
