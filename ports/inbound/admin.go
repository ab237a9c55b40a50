package inbound

import (
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// MaxPageSize and DefaultPageSize bound the admin listings.
const (
	MaxPageSize     = 100
	DefaultPageSize = 20
)

// Every admin use case checks that the principal's current record has the
// admin role, and fails with ErrForbidden otherwise.

// ListUsersQuery pages through accounts. Cursor is the opaque NextCursor
// of the previous page; Limit 0 means DefaultPageSize.
type ListUsersQuery struct {
	Principal   Principal
	EmailPrefix string
	Cursor      string
	Limit       int
}

// UserPage is one page of accounts; NextCursor is empty on the last page.
type UserPage struct {
	Users      []*user.User
	NextCursor string
}

// ListUsers pages through accounts in creation order.
type ListUsers = Handler[ListUsersQuery, UserPage]

// GetUserQuery names one account.
type GetUserQuery struct {
	Principal Principal
	UserID    user.ID
}

// GetUser returns one account.
type GetUser = Handler[GetUserQuery, *user.User]

// UpdateUserCommand changes any of role, disabled and full name; nil fields
// stay as they are.
type UpdateUserCommand struct {
	Principal Principal
	UserID    user.ID
	Role      *string
	Disabled  *bool
	FullName  *string
}

// UpdateUser fails with ErrCannotModifySelf when an admin would demote or
// disable itself; disabling ends the user's sessions.
type UpdateUser = Handler[UpdateUserCommand, *user.User]

// DeleteUserCommand names the account to delete.
type DeleteUserCommand struct {
	Principal Principal
	UserID    user.ID
}

// DeleteUser removes the account and its sessions (not oneself).
type DeleteUser = CommandHandler[DeleteUserCommand]

// ListUserSessionsQuery names the account whose sessions to list.
type ListUserSessionsQuery struct {
	Principal Principal
	UserID    user.ID
}

// ListUserSessions returns an account's active sessions, newest first.
type ListUserSessions = Handler[ListUserSessionsQuery, []*session.Session]

// RevokeUserSessionsCommand names the account whose sessions to end.
type RevokeUserSessionsCommand struct {
	Principal Principal
	UserID    user.ID
}

// RevokeUserSessions ends every session of an account.
type RevokeUserSessions = CommandHandler[RevokeUserSessionsCommand]

// ListAuditQuery filters the audit trail. A zero UserID means every user;
// an empty Type every type. Cursor is the opaque NextCursor of the previous
// page; Limit 0 means DefaultPageSize.
type ListAuditQuery struct {
	Principal Principal
	UserID    user.ID
	Type      string
	Cursor    string
	Limit     int
}

// AuditPage is one page of events, newest first.
type AuditPage struct {
	Events     []audit.Event
	NextCursor string
}

// ListAudit lets administrators read the audit trail, newest first.
type ListAudit = Handler[ListAuditQuery, AuditPage]
