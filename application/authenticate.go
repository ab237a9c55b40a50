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
// signature check and one indexed lookup.
type Authenticate struct {
	access     outbound.AccessTokens
	principals outbound.PrincipalLookup
	clock      outbound.Clock
}

var _ inbound.Authenticator = (*Authenticate)(nil)

// NewAuthenticate builds the use case.
func NewAuthenticate(d Deps) *Authenticate {
	return &Authenticate{access: d.AccessTokens, principals: d.Principals, clock: d.Clock}
}

// Authenticate verifies the token, then the session and user it names.
func (uc *Authenticate) Authenticate(ctx context.Context, bearerToken string) (inbound.Principal, error) {
	if bearerToken == "" {
		return inbound.Principal{}, inbound.ErrUnauthenticated
	}
	claims, err := uc.access.Verify(ctx, bearerToken)
	switch {
	case errors.Is(err, outbound.ErrTokenExpired):
		return inbound.Principal{}, inbound.ErrTokenExpired
	case err != nil:
		return inbound.Principal{}, inbound.ErrTokenInvalid
	}
	p, err := uc.principals.LoadPrincipal(ctx, claims.SessionID)
	switch {
	case errors.Is(err, session.ErrNotFound):
		return inbound.Principal{}, inbound.ErrSessionRevoked
	case err != nil:
		return inbound.Principal{}, err
	case p.User.ID() != claims.UserID:
		return inbound.Principal{}, inbound.ErrTokenInvalid
	}
	if err := p.Session.CheckActive(uc.clock.Now()); err != nil {
		return inbound.Principal{}, inbound.ErrSessionRevoked
	}
	if err := p.User.CanAuthenticate(); err != nil {
		return inbound.Principal{}, inbound.ErrUserDisabled
	}
	return inbound.Principal{User: p.User, SessionID: p.Session.ID()}, nil
}
