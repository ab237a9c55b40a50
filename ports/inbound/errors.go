package inbound

import (
	"errors"
	"time"
)

// Errors the use cases return besides the domain's own (user.ErrEmailTaken,
// session.ErrNotFound, *user.ValidationError). Each maps to one stable
// client-facing code at the driving edge.
var (
	// ErrInvalidCredentials: unknown email, wrong password or disabled user
	// at login, or a wrong current password; deliberately indistinguishable.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrRefreshTokenInvalid: missing, malformed or unknown refresh token.
	ErrRefreshTokenInvalid = errors.New("refresh token invalid")
	// ErrRefreshTokenReused: a spent refresh token came back after the grace
	// interval; the session has been revoked.
	ErrRefreshTokenReused = errors.New("refresh token reused")
	// ErrSessionRevoked: the session was revoked, logged out or expired.
	ErrSessionRevoked = errors.New("session revoked")
	// ErrUserDisabled: the account was disabled.
	ErrUserDisabled = errors.New("user disabled")
	// ErrUnauthenticated: no usable bearer token was presented.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrTokenExpired: the access token's exp has passed.
	ErrTokenExpired = errors.New("access token expired")
	// ErrTokenInvalid: the access token failed verification.
	ErrTokenInvalid = errors.New("access token invalid")
	// ErrForbidden: authenticated, but the role does not allow this.
	ErrForbidden = errors.New("forbidden")
	// ErrOverloaded: password hashing is saturated; retry later.
	ErrOverloaded = errors.New("overloaded")
	// ErrTooManyAttempts: too many failed logins for this email; see
	// RetryAfterError for when to come back.
	ErrTooManyAttempts = errors.New("too many attempts")
	// ErrCannotModifySelf: an administrator tried to demote, disable or
	// delete its own account.
	ErrCannotModifySelf = errors.New("cannot modify self")
)

// RetryAfterError tells the client when to try again. It wraps the reason
// (ErrTooManyAttempts, ErrOverloaded), so errors.Is still matches.
type RetryAfterError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }

// Unwrap returns the reason.
func (e *RetryAfterError) Unwrap() error { return e.Err }
