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
// sessions, keeping the one the change was made from. A wrong current
// password counts against the caller's email in the login lockout, so a
// stolen access token is no unthrottled password oracle.
type ChangePassword struct {
	tx       outbound.Transactor
	hasher   outbound.PasswordHasher
	clock    outbound.Clock
	events   eventFactory
	password user.PasswordPolicy
	current  currentPassword
}

var _ inbound.ChangePassword = (*ChangePassword)(nil)

// NewChangePassword builds the use case.
func NewChangePassword(tx outbound.Transactor, hasher outbound.PasswordHasher, clock outbound.Clock,
	ids outbound.IDGenerator, password user.PasswordPolicy, failures outbound.LoginFailures, lockoutRules LockoutRules) *ChangePassword {
	return &ChangePassword{
		tx: tx, hasher: hasher, clock: clock, events: eventFactory{clock: clock, ids: ids}, password: password,
		current: newCurrentPassword(hasher, failures, clock, lockoutRules),
	}
}

// Handle checks the new password's policy first (cheap), then the lockout
// of the caller's email (a locked email is refused before any hash, with
// 429 too_many_attempts), then the current password (one hash; a wrong one
// counts as a failed attempt), then stores the new hash and revokes the
// other sessions in one unit of work.
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
	if err := uc.current.verify(ctx, p.User, current); err != nil {
		return err
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
