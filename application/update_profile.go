package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// UpdateProfile lets users change their own full name.
type UpdateProfile struct {
	tx     outbound.Transactor
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.UpdateProfile = (*UpdateProfile)(nil)

// NewUpdateProfile builds the use case.
func NewUpdateProfile(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *UpdateProfile {
	return &UpdateProfile{tx: tx, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle renames the caller and records it, in one unit of work.
func (uc *UpdateProfile) Handle(ctx context.Context, cmd inbound.UpdateProfileCommand) (*user.User, error) {
	name, err := user.ParseFullName(cmd.FullName)
	if err != nil {
		return nil, err
	}
	p := cmd.Principal
	now := uc.clock.Now()
	var updated *user.User
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		var err error
		if updated, err = r.Users.Update(ctx, p.User.ID(), func(u *user.User) error {
			u.Rename(name, now)
			return nil
		}); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.ProfileUpdated, p.User.ID(), p.SessionID, p.Client,
			map[string]string{"fields": "fullName"}))
	})
	return updated, err
}
