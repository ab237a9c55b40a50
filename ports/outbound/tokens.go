package outbound

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// Errors about a presented credential. The use cases pass them on
// unchanged, so each has this one owner.
var (
	// ErrTokenExpired means a well-formed, correctly signed token is past exp.
	ErrTokenExpired = errors.New("access token expired")
	// ErrTokenInvalid covers everything else: bad signature, unknown kid,
	// wrong alg, typ, iss or aud, crit headers, nbf or iat in the future.
	ErrTokenInvalid = errors.New("access token invalid")
	// ErrRefreshTokenInvalid means a string is not a refresh token this
	// server issued (malformed, or its MAC does not verify), or it names a
	// session that does not exist.
	ErrRefreshTokenInvalid = errors.New("refresh token invalid")
)

// AccessClaims are the claims of an access token that the use cases read or
// set. The issuer fills iss, aud, iat, nbf, exp and jti itself.
type AccessClaims struct {
	UserID    user.ID
	SessionID session.ID
	Role      user.Role
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// AccessTokens issues and verifies signed access tokens (JWTs).
type AccessTokens interface {
	// Issue signs a token for the claims; IssuedAt is now and ExpiresAt is
	// set by the issuer's configured lifetime, both returned filled in.
	Issue(ctx context.Context, claims AccessClaims) (string, AccessClaims, error)
	// Verify checks signature and claims and fails with ErrTokenExpired or
	// ErrTokenInvalid.
	Verify(ctx context.Context, token string) (AccessClaims, error)
}

// RefreshTokens turns a session generation into its opaque refresh token
// and back. Tokens are derived (e.g. an HMAC under a server key) so that the
// same generation always yields the byte-identical token and storage never
// holds a usable secret.
type RefreshTokens interface {
	Encode(id session.ID, generation session.Generation) string
	// Decode fails with ErrRefreshTokenInvalid for anything this server did
	// not issue.
	Decode(token string) (session.ID, session.Generation, error)
}

// SigningKeyStore adds signing keys; older keys keep verifying the tokens
// they signed until those expire.
type SigningKeyStore interface {
	// Rotate adds a new key that is published at once and signs from
	// activates on (publish before sign), and returns its kid.
	Rotate(ctx context.Context, activates time.Time) (kid string, err error)
}
