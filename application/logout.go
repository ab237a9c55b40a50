package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// Logout ends the session a refresh token belongs to.
type Logout struct {
	tx      outbound.Transactor
	refresh outbound.RefreshTokens
	clock   outbound.Clock
	events  eventFactory
}

var _ inbound.Logout = (*Logout)(nil)

// NewLogout builds the use case.
func NewLogout(tx outbound.Transactor, refresh outbound.RefreshTokens, clock outbound.Clock, ids outbound.IDGenerator) *Logout {
	return &Logout{tx: tx, refresh: refresh, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle revokes the session of any token this server issued for it,
// current or spent: whoever holds one of its tokens may end it. Unknown,
// malformed and empty tokens succeed silently, so logout reveals nothing.
func (uc *Logout) Handle(ctx context.Context, cmd inbound.LogoutCommand) error {
	id, _, err := uc.refresh.Decode(cmd.RefreshToken)
	if err != nil {
		return nil
	}
	now := uc.clock.Now()
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		revoked := false
		s, err := r.Sessions.Update(ctx, id, func(s *session.Session) error {
			revoked = s.Revoke(now, session.ReasonLogout)
			return nil
		})
		if err != nil || !revoked {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.Logout, s.UserID(), s.ID(), cmd.Client, nil))
	})
	if errors.Is(err, session.ErrNotFound) {
		return nil
	}
	return err
}
