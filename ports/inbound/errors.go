package inbound

import (
	"errors"
	"time"
)

// The meanings the use cases add to the domain's errors. Each maps to one
// stable client-facing code at the driving edge.
var (
	// ErrInvalidCredentials: unknown email, wrong password or disabled user
	// at login, or a wrong current password; deliberately indistinguishable.
	ErrInvalidCredentials = errors.New("invalid credentials")
	// ErrUnauthenticated: no usable bearer token was presented.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden: authenticated, but the role does not allow this.
	ErrForbidden = errors.New("forbidden")
	// ErrTooManyAttempts: too many failed logins for this email; see
	// RetryAfterError for when to come back.
	ErrTooManyAttempts = errors.New("too many attempts")
	// ErrCannotModifySelf: an administrator tried to demote, disable or
	// delete its own account.
	ErrCannotModifySelf = errors.New("cannot modify self")
	// ErrUnknownProvider: no identity provider of that name is configured.
	ErrUnknownProvider = errors.New("unknown identity provider")
	// ErrStateInvalid: a sign-in callback whose state is unknown, spent or
	// expired, so that there is no trusted place to send the browser.
	ErrStateInvalid = errors.New("sign-in state invalid")
	// ErrEmailNotVerified: the right password, but the account's address
	// must be verified before it may sign in (auth.email_verification =
	// required).
	ErrEmailNotVerified = errors.New("email not verified")
)

// RetryAfterError tells the client when to try again. It wraps the reason
// (ErrTooManyAttempts, outbound.ErrOverloaded), so errors.Is still matches.
type RetryAfterError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }

// Unwrap returns the reason.
func (e *RetryAfterError) Unwrap() error { return e.Err }
