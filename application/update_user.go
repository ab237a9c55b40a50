package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// UpdateUser lets an administrator change an account's role, disabled state
// and full name. Every change and its audit event commit together.
type UpdateUser struct {
	tx     outbound.Transactor
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.UpdateUser = (*UpdateUser)(nil)

// NewUpdateUser builds the use case.
func NewUpdateUser(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *UpdateUser {
	return &UpdateUser{tx: tx, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle applies the change. An admin cannot demote or disable itself, so
// there is always someone left to undo a mistake. Disabling ends the user's
// sessions in the same unit of work.
func (uc *UpdateUser) Handle(ctx context.Context, cmd inbound.UpdateUserCommand) (*user.User, error) {
	p := cmd.Principal
	if err := requireAdmin(p); err != nil {
		return nil, err
	}
	change, err := parseUserChange(cmd)
	if err != nil {
		return nil, err
	}
	if cmd.UserID == p.User.ID() && change.demotesOrDisables() {
		return nil, inbound.ErrCannotModifySelf
	}
	now := uc.clock.Now()
	var updated *user.User
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		var events []audit.Event
		var err error
		updated, err = r.Users.Update(ctx, cmd.UserID, func(u *user.User) error {
			events = events[:0] // fn runs once per attempt; keep only the last
			change.apply(u, now, func(t audit.Type, detail map[string]string) {
				detail["actor"] = p.User.ID().String()
				events = append(events, uc.events.new(t, cmd.UserID, session.ID{}, p.Client, detail))
			})
			return nil
		})
		if err != nil {
			return err
		}
		if change.disables() {
			if _, err := r.Sessions.RevokeAll(ctx, cmd.UserID, session.ID{}, now, session.ReasonUserDisabled); err != nil {
				return err
			}
		}
		for _, e := range events {
			if err := r.Audit.Record(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return updated, err
}
