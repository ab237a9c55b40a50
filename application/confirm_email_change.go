package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ConfirmEmailChange moves an account to the new address its confirmation
// link was mailed to.
type ConfirmEmailChange struct {
	tx      outbound.Transactor
	secrets secretChecker
	mail    *MailIssuer
	clock   outbound.Clock
	events  eventFactory
}

var _ inbound.ConfirmEmailChange = (*ConfirmEmailChange)(nil)

// NewConfirmEmailChange builds the use case.
func NewConfirmEmailChange(tx outbound.Transactor, hasher onetime.Hasher, mail *MailIssuer, clock outbound.Clock, ids outbound.IDGenerator) *ConfirmEmailChange {
	return &ConfirmEmailChange{tx: tx, secrets: secretChecker{hasher: hasher}, mail: mail, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle spends the secret, moves the account to its new, verified address,
// notifies the old address and records the change, in one unit of work.
// If the new address was taken meanwhile, nothing changes and the secret
// stays usable: user.ErrEmailTaken. Other sessions stay: the change was
// asked for with the password, and proven from the new mailbox.
func (uc *ConfirmEmailChange) Handle(ctx context.Context, cmd inbound.ConfirmEmailChangeCommand) (*user.User, error) {
	p, err := uc.secrets.parseProof(inbound.SecretProof{Token: cmd.Token}, false)
	if err != nil {
		return nil, err
	}
	now := uc.clock.Now()
	var changed *user.User
	var rejected error
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		s, rej, err := uc.secrets.redeem(ctx, r, p, onetime.ChangeEmail, now, true)
		if rejected = rej; err != nil || rej != nil {
			return err
		}
		var old user.Email
		changed, err = ownerFor(ctx, r, s, func(u *user.User) error {
			old = u.Email()
			u.ChangeEmail(s.Email(), now)
			return nil
		})
		if err != nil {
			return err
		}
		if err := uc.mail.notify(ctx, r, outbound.MailEmailChanged, old, outbound.MailContent{NewEmail: s.Email().String()}, now); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.EmailChanged, changed.ID(), session.ID{}, cmd.Client,
			map[string]string{"from": old.String(), "to": s.Email().String()}))
	})
	switch {
	case err != nil:
		return nil, err
	case rejected != nil:
		return nil, rejected
	}
	uc.mail.committed()
	return changed, nil
}
