package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// RevokeSession lets users end one of their own sessions.
type RevokeSession struct {
	tx     outbound.Transactor
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.RevokeSession = (*RevokeSession)(nil)

// NewRevokeSession builds the use case.
func NewRevokeSession(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *RevokeSession {
	return &RevokeSession{tx: tx, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle ends the session. Another user's session is reported as not
// found, so ids cannot be probed.
func (uc *RevokeSession) Handle(ctx context.Context, cmd inbound.RevokeSessionCommand) error {
	p := cmd.Principal
	now := uc.clock.Now()
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		revoked := false
		_, err := r.Sessions.Update(ctx, cmd.SessionID, func(s *session.Session) error {
			if s.UserID() != p.User.ID() {
				return session.ErrNotFound
			}
			revoked = s.Revoke(now, session.ReasonRevokedByUser)
			return nil
		})
		if err != nil || !revoked {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.SessionRevoked, p.User.ID(), cmd.SessionID, p.Client,
			map[string]string{"reason": string(session.ReasonRevokedByUser)}))
	})
}
