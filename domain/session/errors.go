package session

import "errors"

// Domain errors of the session aggregate.
var (
	// ErrNotFound means no session has the given id (or it belongs to
	// another user, which callers must not be able to tell apart).
	ErrNotFound = errors.New("session: not found")
	// ErrRevoked means the session was logged out or revoked.
	ErrRevoked = errors.New("session: revoked")
	// ErrExpired means the idle timeout or the absolute lifetime passed.
	ErrExpired = errors.New("session: expired")
	// ErrStaleToken means the presented refresh token is neither the current
	// one nor its predecessor within the grace interval. Redeem has already
	// revoked the session when it returns this outcome.
	ErrStaleToken = errors.New("session: refresh token reused")
)
