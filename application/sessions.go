package application

import (
	"context"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// SessionManagement lets a user see and end their own sessions. Each method
// is one inbound use case; they share the two ports they need.
type SessionManagement struct {
	sessions outbound.SessionRepository
	clock    outbound.Clock
}

var (
	_ inbound.ListSessions        = (*SessionManagement)(nil)
	_ inbound.RevokeSession       = (*SessionManagement)(nil)
	_ inbound.LogoutAll           = (*SessionManagement)(nil)
	_ inbound.RevokeOtherSessions = (*SessionManagement)(nil)
)

// NewSessionManagement builds the use cases.
func NewSessionManagement(d Deps) *SessionManagement {
	return &SessionManagement{sessions: d.Sessions, clock: d.Clock}
}

// ListSessions returns the caller's active sessions, newest first, marking
// the one the request was made with.
func (uc *SessionManagement) ListSessions(ctx context.Context, p inbound.Principal) ([]inbound.SessionView, error) {
	list, err := uc.sessions.ListActive(ctx, p.User.ID(), uc.clock.Now())
	if err != nil {
		return nil, err
	}
	views := make([]inbound.SessionView, len(list))
	for i, s := range list {
		views[i] = inbound.SessionView{Session: s, Current: s.ID() == p.SessionID}
	}
	return views, nil
}

// RevokeSession ends one of the caller's sessions. Another user's session
// is reported as not found, so ids cannot be probed.
func (uc *SessionManagement) RevokeSession(ctx context.Context, p inbound.Principal, id session.ID) error {
	now := uc.clock.Now()
	_, err := uc.sessions.Update(ctx, id, func(s *session.Session) error {
		if s.UserID() != p.User.ID() {
			return session.ErrNotFound
		}
		s.Revoke(now, session.ReasonRevokedByUser)
		return nil
	})
	return err
}

// LogoutAll ends every session of the caller, the current one included.
func (uc *SessionManagement) LogoutAll(ctx context.Context, p inbound.Principal) error {
	_, err := uc.sessions.RevokeAll(ctx, p.User.ID(), "", uc.clock.Now(), session.ReasonLogoutAll)
	return err
}

// RevokeOtherSessions ends every session of the caller but the current one.
func (uc *SessionManagement) RevokeOtherSessions(ctx context.Context, p inbound.Principal) error {
	_, err := uc.sessions.RevokeAll(ctx, p.User.ID(), p.SessionID, uc.clock.Now(), session.ReasonRevokedByUser)
	return err
}
