package session

import (
	"errors"
	"fmt"
)

// Domain errors of the session aggregate.
var (
	// ErrNotFound means no session has the given id (or it belongs to
	// another user, which callers must not be able to tell apart).
	ErrNotFound = errors.New("session: not found")
	// ErrEnded means the session can no longer be used, whatever the
	// reason: ErrRevoked and ErrExpired both match it with errors.Is, so a
	// caller that does not care why asks for ErrEnded.
	ErrEnded = errors.New("session: ended")
	// ErrRevoked means the session was logged out or revoked.
	ErrRevoked = fmt.Errorf("%w: revoked", ErrEnded)
	// ErrExpired means the idle timeout or the absolute lifetime passed.
	ErrExpired = fmt.Errorf("%w: expired", ErrEnded)
	// ErrRefreshTokenReused means the presented refresh token is neither the
	// current one nor its predecessor within the grace interval. Redeem has
	// already revoked the session when it returns this error.
	ErrRefreshTokenReused = errors.New("session: refresh token reused")
)
