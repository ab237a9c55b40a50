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

// VerifyEmail spends a verification secret and marks the address verified.
type VerifyEmail struct {
	tx      outbound.Transactor
	secrets secretChecker
	clock   outbound.Clock
	events  eventFactory
}

var _ inbound.VerifyEmail = (*VerifyEmail)(nil)

// NewVerifyEmail builds the use case.
func NewVerifyEmail(tx outbound.Transactor, hasher onetime.Hasher, clock outbound.Clock, ids outbound.IDGenerator,
	emails outbound.EmailNormalizer) *VerifyEmail {
	return &VerifyEmail{tx: tx, secrets: secretChecker{hasher: hasher, emails: emails}, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle spends the secret, verifies the account and records it in one
// unit of work. A wrong code is counted (and committed) before the request
// fails with onetime.ErrInvalid.
func (uc *VerifyEmail) Handle(ctx context.Context, cmd inbound.VerifyEmailCommand) (*user.User, error) {
	p, err := uc.secrets.parseProof(cmd.Proof, true)
	if err != nil {
		return nil, err
	}
	now := uc.clock.Now()
	var verified *user.User
	var rejected error
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		s, rej, err := uc.secrets.redeem(ctx, r, p, onetime.VerifyEmail, now, true)
		if rejected = rej; err != nil || rej != nil {
			return err
		}
		verified, err = ownerFor(ctx, r, s, func(u *user.User) error {
			if !u.VerifyEmail(s.Email(), now) {
				return onetime.ErrInvalid
			}
			return nil
		})
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.EmailVerified, verified.ID(), session.ID{}, cmd.Client,
			map[string]string{"email": verified.Email().String()}))
	})
	switch {
	case err != nil:
		return nil, err
	case rejected != nil:
		return nil, rejected
	}
	return verified, nil
}
