package user

import "errors"

// Domain errors of the user aggregate. Adapters translate storage errors into
// these so that use cases and the HTTP edge never see a driver error.
var (
	// ErrNotFound means no user has the given id or email.
	ErrNotFound = errors.New("user: not found")
	// ErrEmailTaken means another account already uses the (normalised) email.
	ErrEmailTaken = errors.New("user: email taken")
	// ErrDisabled means the account exists but an administrator disabled it.
	ErrDisabled = errors.New("user: disabled")
)
