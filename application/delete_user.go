package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// DeleteUser removes an account and everything of its sessions. The audit
// event outlives the account.
type DeleteUser struct {
	tx     outbound.Transactor
	events eventFactory
}

var _ inbound.DeleteUser = (*DeleteUser)(nil)

// NewDeleteUser builds the use case.
func NewDeleteUser(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *DeleteUser {
	return &DeleteUser{tx: tx, events: eventFactory{clock: clock, ids: ids}}
}

// Handle deletes the sessions, then the account; an admin cannot delete
// itself. The sessions are deleted here rather than by a cascade in one
// store, since they may live in another.
func (uc *DeleteUser) Handle(ctx context.Context, cmd inbound.DeleteUserCommand) error {
	p := cmd.Principal
	if err := requireAdmin(p); err != nil {
		return err
	}
	if cmd.UserID == p.User.ID() {
		return inbound.ErrCannotModifySelf
	}
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		u, err := r.Users.Get(ctx, cmd.UserID)
		if err != nil {
			return err
		}
		if err := r.Sessions.DeleteAllOf(ctx, cmd.UserID); err != nil {
			return err
		}
		if err := r.Users.Delete(ctx, cmd.UserID); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.UserDeleted, cmd.UserID, session.ID{}, p.Client,
			map[string]string{"actor": p.User.ID().String(), "email": u.Email().String()}))
	})
}
