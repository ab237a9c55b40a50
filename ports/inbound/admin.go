package inbound

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// MaxPageSize and DefaultPageSize bound the admin listings.
const (
	MaxPageSize     = 100
	DefaultPageSize = 20
)

// ListUsersQuery pages through accounts. Cursor is the opaque NextCursor
// of the previous page; Limit 0 means DefaultPageSize.
type ListUsersQuery struct {
	EmailPrefix string
	Cursor      string
	Limit       int
}

// UserPage is one page of accounts; NextCursor is empty on the last page.
type UserPage struct {
	Users      []*user.User
	NextCursor string
}

// UpdateUserCommand changes any of role, disabled and full name; nil fields
// stay as they are.
type UpdateUserCommand struct {
	Role     *string
	Disabled *bool
	FullName *string
}

// AdminUsers is the administrators' view of accounts. Every method checks
// that the caller's current record has the admin role (ErrForbidden).
type AdminUsers interface {
	ListUsers(ctx context.Context, p Principal, q ListUsersQuery) (UserPage, error)
	GetUser(ctx context.Context, p Principal, id user.ID) (*user.User, error)
	// UpdateUser fails with ErrCannotModifySelf when an admin would demote
	// or disable itself; disabling revokes the user's sessions in the same
	// transaction.
	UpdateUser(ctx context.Context, p Principal, id user.ID, cmd UpdateUserCommand) (*user.User, error)
	// DeleteUser removes the account and its sessions (not oneself).
	DeleteUser(ctx context.Context, p Principal, id user.ID) error
	ListUserSessions(ctx context.Context, p Principal, id user.ID) ([]*session.Session, error)
	RevokeUserSessions(ctx context.Context, p Principal, id user.ID) error
}

// AuditQuery filters the audit trail for administrators.
type AuditQuery struct {
	UserID string
	Type   string
	Cursor string
	Limit  int
}

// AuditPage is one page of events, newest first.
type AuditPage struct {
	Events     []audit.Event
	NextCursor string
}

// AuditTrail lets administrators read the audit trail.
type AuditTrail interface {
	ListAudit(ctx context.Context, p Principal, q AuditQuery) (AuditPage, error)
}
