package application

import (
	"time"

	"github.com/authd/authd/domain/session"
)

// SessionRules are the session lifetimes and how many live sessions one
// user may keep.
type SessionRules struct {
	Policy session.Policy
	// MaxPerUser is the cap: beyond it a login revokes the least recently
	// used session.
	MaxPerUser int
}

// LockoutRules are the per-email budget of failed logins. A zero
// MaxFailures turns the lockout off.
type LockoutRules struct {
	MaxFailures int
	Window      time.Duration
}

// CleanupRules say how the cleanup deletes: at most BatchSize rows per
// statement.
type CleanupRules struct {
	BatchSize int
}
