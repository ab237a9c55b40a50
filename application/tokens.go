package application

import (
	"context"
	"fmt"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// tokenMinter builds the token pair for a user's session: a fresh access
// token carrying the role from the user's record, and the refresh token
// derived from the session's current generation.
type tokenMinter struct {
	access  outbound.AccessTokens
	refresh outbound.RefreshTokens
}

func (m tokenMinter) pair(ctx context.Context, u *user.User, s *session.Session) (inbound.TokenPair, error) {
	token, claims, err := m.access.Issue(ctx, outbound.AccessClaims{UserID: u.ID(), SessionID: s.ID(), Role: u.Role()})
	if err != nil {
		return inbound.TokenPair{}, fmt.Errorf("issue access token: %w", err)
	}
	return inbound.TokenPair{
		AccessToken:      token,
		AccessExpiresAt:  claims.ExpiresAt,
		ExpiresIn:        claims.ExpiresAt.Sub(claims.IssuedAt),
		RefreshToken:     m.refresh.Encode(s.ID(), s.Generation()),
		RefreshExpiresAt: s.ExpiresAt(),
		User:             u,
	}, nil
}
