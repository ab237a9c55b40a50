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

// PruneAuditCommand asks for the audit events past their retention to go.
type PruneAuditCommand struct{}

// PruneAudit deletes audit events older than the retention period and
// answers how many it deleted (a background worker runs it).
type PruneAudit = Handler[PruneAuditCommand, int64]
