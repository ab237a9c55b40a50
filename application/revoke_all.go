package application

import (
	"context"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// LogoutAll ends every session of the caller, the current one included.
type LogoutAll struct{ revoker sessionRevoker }

var _ inbound.LogoutAll = (*LogoutAll)(nil)

// NewLogoutAll builds the use case.
func NewLogoutAll(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *LogoutAll {
	return &LogoutAll{revoker: newSessionRevoker(tx, clock, ids)}
}

// Handle revokes the sessions and records one logout event.
func (uc *LogoutAll) Handle(ctx context.Context, cmd inbound.LogoutAllCommand) error {
	return uc.revoker.revokeAll(ctx, cmd.Principal, session.ID{}, audit.Logout, session.ReasonLogoutAll)
}

// RevokeOtherSessions ends every session of the caller but the current one.
type RevokeOtherSessions struct{ revoker sessionRevoker }

var _ inbound.RevokeOtherSessions = (*RevokeOtherSessions)(nil)

// NewRevokeOtherSessions builds the use case.
func NewRevokeOtherSessions(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *RevokeOtherSessions {
	return &RevokeOtherSessions{revoker: newSessionRevoker(tx, clock, ids)}
}

// Handle revokes the other sessions and records one event.
func (uc *RevokeOtherSessions) Handle(ctx context.Context, cmd inbound.RevokeOtherSessionsCommand) error {
	p := cmd.Principal
	return uc.revoker.revokeAll(ctx, p, p.SessionID, audit.SessionRevoked, session.ReasonRevokedByUser)
}

// sessionRevoker is what LogoutAll and RevokeOtherSessions share: revoke a
// user's sessions but one and record it, in one unit of work.
type sessionRevoker struct {
	tx     outbound.Transactor
	clock  outbound.Clock
	events eventFactory
}

func newSessionRevoker(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) sessionRevoker {
	return sessionRevoker{tx: tx, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

func (r sessionRevoker) revokeAll(ctx context.Context, p inbound.Principal, except session.ID, t audit.Type, reason session.RevokeReason) error {
	now := r.clock.Now()
	return r.tx.Within(ctx, func(ctx context.Context, repos outbound.Repositories) error {
		n, err := repos.Sessions.RevokeAll(ctx, p.User.ID(), except, now, reason)
		if err != nil {
			return err
		}
		return repos.Audit.Record(ctx, r.events.new(t, p.User.ID(), p.SessionID, p.Client,
			map[string]string{"reason": string(reason), "count": strconv.Itoa(n)}))
	})
}
