package application

import (
	"context"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// RevokeUserSessions lets an administrator end every session of an account.
type RevokeUserSessions struct {
	tx     outbound.Transactor
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.RevokeUserSessions = (*RevokeUserSessions)(nil)

// NewRevokeUserSessions builds the use case.
func NewRevokeUserSessions(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *RevokeUserSessions {
	return &RevokeUserSessions{tx: tx, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle revokes the sessions and records how many, or fails with
// user.ErrNotFound for an unknown account.
func (uc *RevokeUserSessions) Handle(ctx context.Context, cmd inbound.RevokeUserSessionsCommand) error {
	p := cmd.Principal
	if err := requireAdmin(p); err != nil {
		return err
	}
	now := uc.clock.Now()
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Users.Get(ctx, cmd.UserID); err != nil {
			return err
		}
		n, err := r.Sessions.RevokeAll(ctx, cmd.UserID, session.ID{}, now, session.ReasonAdmin)
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.SessionRevoked, cmd.UserID, session.ID{}, p.Client, map[string]string{
			"actor": p.User.ID().String(), "reason": string(session.ReasonAdmin), "count": strconv.Itoa(n),
		}))
	})
}
