package inbound

import (
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// MeQuery asks for the caller's own account.
type MeQuery struct {
	Principal Principal
}

// Me returns the caller's own account.
type Me = Handler[MeQuery, *user.User]

// SessionView is one session as its owner sees it.
type SessionView struct {
	Session *session.Session
	// Current is true for the session of the access token that asked.
	Current bool
}

// ListSessionsQuery asks for the caller's active sessions.
type ListSessionsQuery struct {
	Principal Principal
}

// ListSessions returns the caller's active sessions, newest first.
type ListSessions = Handler[ListSessionsQuery, []SessionView]

// RevokeSessionCommand names one of the caller's sessions to end.
type RevokeSessionCommand struct {
	Principal Principal
	SessionID session.ID
}

// RevokeSession ends one of the caller's own sessions; another user's
// session fails with session.ErrNotFound.
type RevokeSession = CommandHandler[RevokeSessionCommand]

// LogoutAllCommand ends every session of the caller.
type LogoutAllCommand struct {
	Principal Principal
}

// LogoutAll ends every session of the caller, the current one included.
type LogoutAll = CommandHandler[LogoutAllCommand]

// RevokeOtherSessionsCommand ends the caller's sessions but the current one.
type RevokeOtherSessionsCommand struct {
	Principal Principal
}

// RevokeOtherSessions ends every session of the caller but the current one.
type RevokeOtherSessions = CommandHandler[RevokeOtherSessionsCommand]

// ChangePasswordCommand carries the current and the new password.
type ChangePasswordCommand struct {
	Principal       Principal
	CurrentPassword string
	NewPassword     string
}

// ChangePassword replaces the caller's password after checking the current
// one, and ends all the caller's other sessions.
type ChangePassword = CommandHandler[ChangePasswordCommand]
