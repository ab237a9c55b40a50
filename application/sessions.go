package application

import (
	"context"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// SessionManagement lets a user see and end their own sessions. Each method
// is one inbound use case; they share the ports they need.
type SessionManagement struct {
	sessions outbound.SessionRepository
	tx       outbound.Transactor
	clock    outbound.Clock
	events   eventFactory
}

var (
	_ inbound.ListSessions        = (*SessionManagement)(nil)
	_ inbound.RevokeSession       = (*SessionManagement)(nil)
	_ inbound.LogoutAll           = (*SessionManagement)(nil)
	_ inbound.RevokeOtherSessions = (*SessionManagement)(nil)
)

// NewSessionManagement builds the use cases.
func NewSessionManagement(d Deps) *SessionManagement {
	return &SessionManagement{sessions: d.Sessions, tx: d.Tx, clock: d.Clock, events: newEventFactory(d)}
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
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		revoked := false
		_, err := r.Sessions.Update(ctx, id, func(s *session.Session) error {
			if s.UserID() != p.User.ID() {
				return session.ErrNotFound
			}
			revoked = s.Revoke(now, session.ReasonRevokedByUser)
			return nil
		})
		if err != nil || !revoked {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.SessionRevoked, p.User.ID(), id, p.Client,
			map[string]string{"reason": string(session.ReasonRevokedByUser)}))
	})
}

// LogoutAll ends every session of the caller, the current one included.
func (uc *SessionManagement) LogoutAll(ctx context.Context, p inbound.Principal) error {
	return uc.revokeAll(ctx, p, "", audit.Logout, session.ReasonLogoutAll)
}

// RevokeOtherSessions ends every session of the caller but the current one.
func (uc *SessionManagement) RevokeOtherSessions(ctx context.Context, p inbound.Principal) error {
	return uc.revokeAll(ctx, p, p.SessionID, audit.SessionRevoked, session.ReasonRevokedByUser)
}

func (uc *SessionManagement) revokeAll(ctx context.Context, p inbound.Principal, except session.ID, t audit.Type, reason session.RevokeReason) error {
	now := uc.clock.Now()
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		n, err := r.Sessions.RevokeAll(ctx, p.User.ID(), except, now, reason)
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(t, p.User.ID(), p.SessionID, p.Client,
			map[string]string{"reason": string(reason), "count": strconv.Itoa(n)}))
	})
}
