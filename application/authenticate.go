package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Authenticate turns a bearer access token into the caller, checking the
// live session and the user's current record on every request so that a
// logout, revocation, ban or demotion takes effect at once. It costs one
// signature check and one principal lookup.
type Authenticate struct {
	access     outbound.AccessTokens
	principals outbound.PrincipalLookup
	clock      outbound.Clock
}

var _ inbound.Authenticate = (*Authenticate)(nil)

// NewAuthenticate builds the use case.
func NewAuthenticate(access outbound.AccessTokens, principals outbound.PrincipalLookup, clock outbound.Clock) *Authenticate {
	return &Authenticate{access: access, principals: principals, clock: clock}
}

// Handle verifies the token, then the session and user it names. A session
// that is gone, or whose user is, has ended (session.ErrRevoked).
func (uc *Authenticate) Handle(ctx context.Context, cmd inbound.AuthenticateCommand) (inbound.Principal, error) {
	if cmd.BearerToken == "" {
		return inbound.Principal{}, inbound.ErrUnauthenticated
	}
	claims, err := uc.access.Verify(ctx, cmd.BearerToken)
	switch {
	case errors.Is(err, outbound.ErrTokenExpired):
		return inbound.Principal{}, outbound.ErrTokenExpired
	case err != nil:
		return inbound.Principal{}, outbound.ErrTokenInvalid
	}
	p, err := uc.principals.LoadPrincipal(ctx, claims.SessionID)
	switch {
	case errors.Is(err, session.ErrNotFound):
		return inbound.Principal{}, session.ErrRevoked
	case err != nil:
		return inbound.Principal{}, err
	case p.User.ID() != claims.UserID:
		return inbound.Principal{}, outbound.ErrTokenInvalid
	}
	if err := p.Session.CheckActive(uc.clock.Now()); err != nil {
		return inbound.Principal{}, err
	}
	if err := p.User.CanAuthenticate(); err != nil {
		return inbound.Principal{}, err
	}
	return inbound.Principal{User: p.User, SessionID: p.Session.ID()}, nil
}
