package application

import (
	"context"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ChangePassword replaces the caller's password and ends their other
// sessions, keeping the one the change was made from.
type ChangePassword struct {
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	clock    outbound.Clock
	events   eventFactory
	password user.PasswordPolicy
	decoy    decoyHash
}

var _ inbound.ChangePassword = (*ChangePassword)(nil)

// NewChangePassword builds the use case.
func NewChangePassword(tx outbound.Transactor, hasher outbound.PasswordHasher, clock outbound.Clock,
	ids outbound.IDGenerator, password user.PasswordPolicy) *ChangePassword {
	return &ChangePassword{tx: tx, hasher: hasher, clock: clock, events: eventFactory{clock: clock, ids: ids}, password: password}
}

// Handle checks the new password's policy first (cheap), then the current
// password (one hash), then stores the new hash and revokes the other
// sessions in one unit of work.
func (uc *ChangePassword) Handle(ctx context.Context, cmd inbound.ChangePasswordCommand) error {
	p := cmd.Principal
	problems := &validation.Error{}
	if cmd.CurrentPassword == "" {
		problems.Add("currentPassword", "is required")
	}
	current, err := user.PasswordAttempt(cmd.CurrentPassword)
	if err != nil {
		problems.Add("currentPassword", "must be at most 128 characters")
	}
	next, err := user.NewPassword(cmd.NewPassword, uc.password, p.User.Email())
	if err != nil {
		problems.Merge(validation.Rename(err, "newPassword"))
	}
	if err := problems.OrNil(); err != nil {
		return err
	}
	if !p.User.HasPassword() {
		// No current password can match an account that has none (one made
		// by signing in with a provider); it sets one through the reset
		// flow. The decoy makes the answer take as long as a wrong one.
		if err := uc.decoy.verify(ctx, uc.hasher, current); err != nil {
			return err
		}
		return inbound.ErrInvalidCredentials
	}
	match, _, err := uc.hasher.Verify(ctx, current, p.User.PasswordHash())
	if err != nil {
		return hashFailed(err)
	}
	if !match {
		return inbound.ErrInvalidCredentials
	}
	hash, err := uc.hasher.Hash(ctx, next)
	if err != nil {
		return hashFailed(err)
	}
	now := uc.clock.Now()
	return uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Users.Update(ctx, p.User.ID(), func(u *user.User) error {
			u.ChangePasswordHash(hash, now)
			return nil
		}); err != nil {
			return err
		}
		n, err := r.Sessions.RevokeAll(ctx, p.User.ID(), p.SessionID, now, session.ReasonPasswordChange)
		if err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.PasswordChanged, p.User.ID(), p.SessionID, p.Client,
			map[string]string{"sessionsRevoked": strconv.Itoa(n)}))
	})
}
