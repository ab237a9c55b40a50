package inbound

import (
	"time"

	"github.com/authd/authd/domain/user"
)

// CreateUserCommand makes an account with a chosen role: the operator's
// bootstrap path (`authd user create --role admin`).
type CreateUserCommand struct {
	Email    string
	FullName string
	Role     string
	Password string
}

// CreateUser creates an account under the same rules as signup, but with
// a role and without opening a session.
type CreateUser = Handler[CreateUserCommand, *user.User]

// RotateSigningKeyCommand asks for a new signing key that starts signing
// ActivateIn from now (published at once, so that verifiers caching the
// key set learn it first); Client says who asked, for the audit trail.
type RotateSigningKeyCommand struct {
	Client     Client
	ActivateIn time.Duration
}

// RotateSigningKey adds a new access-token signing key, records it in the
// audit trail, and answers its key id (the operator's `authd keys rotate`).
type RotateSigningKey = Handler[RotateSigningKeyCommand, string]

// CleanupCommand asks for every row that has served its purpose to be
// deleted now.
type CleanupCommand struct{}

// CleanupReport is how many rows each sweeper deleted, by its name
// ("sessions", "audit_events", ...).
type CleanupReport map[string]int

// Cleanup runs every sweeper until nothing is left to delete, in batches
// (the background cleanup, and `authd cleanup`).
type Cleanup = Handler[CleanupCommand, CleanupReport]
