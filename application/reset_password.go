package application

import (
	"context"
	"errors"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ResetPassword sets a new password with a reset secret.
type ResetPassword struct {
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	secrets  secretChecker
	clock    outbound.Clock
	events   eventFactory
	password user.PasswordPolicy
}

var _ inbound.ResetPassword = (*ResetPassword)(nil)

// NewResetPassword builds the use case.
func NewResetPassword(tx outbound.Transactor, hasher outbound.PasswordHasher, secrets onetime.Hasher,
	clock outbound.Clock, ids outbound.IDGenerator, password user.PasswordPolicy, emails outbound.EmailNormalizer) *ResetPassword {
	return &ResetPassword{
		tx: tx, hasher: hasher, secrets: secretChecker{hasher: secrets, emails: emails}, clock: clock,
		events: eventFactory{clock: clock, ids: ids}, password: password,
	}
}

// Handle works in two steps so that nothing is spent until the password
// changes. First it tests the secret without spending it (a wrong code is
// counted and committed) and checks the new password against the policy
// for the account's address; then, after hashing outside any transaction,
// one unit of work spends the secret, stores the new hash (the only change
// to the account's credentials, so an account without a password gets its
// first one), marks the address verified, ends every session of the
// account and records the reset. Of two resets racing with one secret,
// the second finds it spent.
func (uc *ResetPassword) Handle(ctx context.Context, cmd inbound.ResetPasswordCommand) error {
	p, err := uc.secrets.parseProof(cmd.Proof, true)
	if err != nil {
		return renameMissing(err, cmd.NewPassword)
	}
	if cmd.NewPassword == "" {
		return validation.Invalid("newPassword", "is required")
	}
	s, u, err := uc.check(ctx, p)
	if err != nil {
		return err
	}
	next, err := user.NewPassword(cmd.NewPassword, uc.password, u.Email())
	if err != nil {
		return validation.Rename(err, "newPassword")
	}
	hash, err := uc.hasher.Hash(ctx, next)
	if err != nil {
		return hashFailed(err)
	}
	now := uc.clock.Now()
	var rejected error
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		spent, rej, err := uc.secrets.apply(ctx, r, s.ID(), p, onetime.ResetPassword, now, true)
		if rejected = rej; err != nil || rej != nil {
			return err
		}
		if _, err := ownerFor(ctx, r, spent, func(u *user.User) error {
			u.ChangePasswordHash(hash, now)
			u.VerifyEmail(spent.Email(), now)
			return nil
		}); err != nil {
			return err
		}
		n, err := r.Sessions.RevokeAll(ctx, spent.UserID(), session.ID{}, now, session.ReasonPasswordReset)
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.PasswordReset, spent.UserID(), session.ID{}, cmd.Client,
			map[string]string{"sessionsRevoked": strconv.Itoa(n)}))
	})
	if err != nil {
		return err
	}
	return rejected
}

// check tests the proof against its secret without spending it, and
// returns the secret and its account.
func (uc *ResetPassword) check(ctx context.Context, p proof) (*onetime.Secret, *user.User, error) {
	var (
		s        *onetime.Secret
		u        *user.User
		rejected error
	)
	now := uc.clock.Now()
	err := uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		var err error
		if s, rejected, err = uc.secrets.redeem(ctx, r, p, onetime.ResetPassword, now, false); err != nil || rejected != nil {
			return err
		}
		u, err = ownerFor(ctx, r, s, func(*user.User) error { return nil })
		return err
	})
	if err == nil {
		err = rejected
	}
	return s, u, err
}

// renameMissing adds the missing new password to a validation error about
// the proof, so that one answer lists every missing field.
func renameMissing(err error, newPassword string) error {
	ve, ok := errors.AsType[*validation.Error](err)
	if !ok || newPassword != "" {
		return err
	}
	out := &validation.Error{Fields: append([]validation.FieldError(nil), ve.Fields...)}
	out.Add("newPassword", "is required")
	return out
}
