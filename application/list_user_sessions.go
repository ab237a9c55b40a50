package application

import (
	"context"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ListUserSessions shows an administrator an account's active sessions.
type ListUserSessions struct {
	users    outbound.UserRepository
	sessions outbound.SessionRepository
	clock    outbound.Clock
}

var _ inbound.ListUserSessions = (*ListUserSessions)(nil)

// NewListUserSessions builds the use case.
func NewListUserSessions(users outbound.UserRepository, sessions outbound.SessionRepository, clock outbound.Clock) *ListUserSessions {
	return &ListUserSessions{users: users, sessions: sessions, clock: clock}
}

// Handle returns the sessions newest first, or user.ErrNotFound for an
// unknown account.
func (uc *ListUserSessions) Handle(ctx context.Context, q inbound.ListUserSessionsQuery) ([]*session.Session, error) {
	if err := requireAdmin(q.Principal); err != nil {
		return nil, err
	}
	if _, err := uc.users.Get(ctx, q.UserID); err != nil {
		return nil, err
	}
	return uc.sessions.ListActive(ctx, q.UserID, uc.clock.Now())
}
