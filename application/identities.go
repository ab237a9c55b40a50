package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ListIdentities returns the caller's linked identities.
type ListIdentities struct{ identities outbound.IdentityRepository }

var _ inbound.ListIdentities = (*ListIdentities)(nil)

// NewListIdentities builds the use case.
func NewListIdentities(identities outbound.IdentityRepository) *ListIdentities {
	return &ListIdentities{identities: identities}
}

// Handle lists them, oldest first.
func (uc *ListIdentities) Handle(ctx context.Context, q inbound.ListIdentitiesQuery) ([]*identity.Identity, error) {
	return uc.identities.ListByUser(ctx, q.Principal.User.ID())
}

// UnlinkIdentity removes one of the caller's identities, unless it is the
// account's last way to sign in.
type UnlinkIdentity struct {
	tx     outbound.Transactor
	events eventFactory
}

var _ inbound.UnlinkIdentity = (*UnlinkIdentity)(nil)

// NewUnlinkIdentity builds the use case.
func NewUnlinkIdentity(tx outbound.Transactor, clock outbound.Clock, ids outbound.IDGenerator) *UnlinkIdentity {
	return &UnlinkIdentity{tx: tx, events: eventFactory{clock: clock, ids: ids}}
}

// Handle locks the caller's account first, so that two unlinks of its last
// two identities (or an unlink and a link) take turns and the rule sees
// the other's result: the account never ends up with no way to sign in.
func (uc *UnlinkIdentity) Handle(ctx context.Context, cmd inbound.UnlinkIdentityCommand) error {
	p := cmd.Principal
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		u, err := r.Users.Update(ctx, p.User.ID(), func(*user.User) error { return nil })
		if err != nil {
			return err
		}
		linked, err := r.Identities.ListByUser(ctx, u.ID())
		if err != nil {
			return err
		}
		target, err := identity.CheckUnlink(u, linked, cmd.IdentityID)
		if err != nil {
			return err
		}
		if err := r.Identities.Delete(ctx, target.ID()); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.IdentityUnlinked, u.ID(), p.SessionID, p.Client,
			map[string]string{"provider": target.Provider(), "identityId": target.ID().String()}))
	})
}
