package inbound

import (
	"context"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// Me returns the caller's own account.
type Me interface {
	Me(ctx context.Context, p Principal) (*user.User, error)
}

// SessionView is one session as its owner sees it.
type SessionView struct {
	Session *session.Session
	// Current is true for the session of the access token that asked.
	Current bool
}

// ListSessions returns the caller's active sessions, newest first.
type ListSessions interface {
	ListSessions(ctx context.Context, p Principal) ([]SessionView, error)
}

// RevokeSession ends one of the caller's own sessions; another user's
// session fails with session.ErrNotFound.
type RevokeSession interface {
	RevokeSession(ctx context.Context, p Principal, id session.ID) error
}

// LogoutAll ends every session of the caller, the current one included.
type LogoutAll interface {
	LogoutAll(ctx context.Context, p Principal) error
}

// RevokeOtherSessions ends every session of the caller but the current one.
type RevokeOtherSessions interface {
	RevokeOtherSessions(ctx context.Context, p Principal) error
}

// ChangePasswordCommand carries the current and the new password.
type ChangePasswordCommand struct {
	CurrentPassword string
	NewPassword     string
}

// ChangePassword replaces the caller's password after checking the current
// one, and ends all the caller's other sessions.
type ChangePassword interface {
	ChangePassword(ctx context.Context, p Principal, cmd ChangePasswordCommand) error
}

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
type CreateUser interface {
	CreateUser(ctx context.Context, cmd CreateUserCommand) (*user.User, error)
}

// RotateSigningKey adds a new active access-token signing key and records
// it in the audit trail (the operator's `authd keys rotate`).
type RotateSigningKey interface {
	RotateSigningKey(ctx context.Context, client Client) (kid string, err error)
}
