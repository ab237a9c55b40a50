package application

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// RequestEmailChange starts moving the caller's account to a new address:
// the new address gets a confirmation link, the current one a notice.
type RequestEmailChange struct {
	users   outbound.UserRepository
	tx      outbound.Transactor
	current currentPassword
	mail    *MailIssuer
	clock   outbound.Clock
	events  eventFactory
}

var _ inbound.RequestEmailChange = (*RequestEmailChange)(nil)

// NewRequestEmailChange builds the use case. A wrong current password
// counts against the login lockout, as on a password change.
func NewRequestEmailChange(users outbound.UserRepository, tx outbound.Transactor, hasher outbound.PasswordHasher,
	mail *MailIssuer, clock outbound.Clock, ids outbound.IDGenerator, failures outbound.LoginFailures, lockoutRules LockoutRules) *RequestEmailChange {
	return &RequestEmailChange{
		users: users, tx: tx, current: newCurrentPassword(hasher, failures, clock, lockoutRules),
		mail: mail, clock: clock, events: eventFactory{clock: clock, ids: ids},
	}
}

// Handle checks the input, then the password (one hash), then that the new
// address is free, and queues both messages with the new secret and the
// audit event in one unit of work.
func (uc *RequestEmailChange) Handle(ctx context.Context, cmd inbound.RequestEmailChangeCommand) error {
	if err := uc.mail.requireEnabled(); err != nil {
		return err
	}
	p := cmd.Principal
	problems := &validation.Error{}
	next, err := parseEmail(uc.mail.emails, cmd.NewEmail)
	if err != nil {
		problems.Merge(validation.Rename(err, "newEmail"))
	} else if next == p.User.Email() {
		problems.Add("newEmail", "is already the account's email")
	}
	if cmd.CurrentPassword == "" {
		problems.Add("currentPassword", "is required")
	}
	current, err := user.PasswordAttempt(cmd.CurrentPassword)
	if err != nil {
		problems.Add("currentPassword", "must be at most 128 characters")
	}
	if err := problems.OrNil(); err != nil {
		return err
	}
	if err := uc.current.verify(ctx, p.User, current); err != nil {
		return err
	}
	switch _, err := uc.users.FindByEmail(ctx, next); {
	case err == nil:
		return user.ErrEmailTaken
	case !errors.Is(err, user.ErrNotFound):
		return err
	}
	now := uc.clock.Now()
	err = uc.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		u, err := r.Users.Update(ctx, p.User.ID(), func(u *user.User) error { return u.CanAuthenticate() })
		if err != nil {
			return err
		}
		if err := uc.mail.issue(ctx, r, u.ID(), onetime.ChangeEmail, next, now); err != nil {
			return err
		}
		if err := uc.mail.notify(ctx, r, outbound.MailEmailChangeRequested, u.Email(), outbound.MailContent{NewEmail: next.String()}, now); err != nil {
			return err
		}
		return r.Audit.Record(ctx, uc.events.new(audit.EmailChangeRequested, u.ID(), p.SessionID, p.Client,
			map[string]string{"newEmail": next.String()}))
	})
	if err != nil {
		return err
	}
	uc.mail.committed()
	return nil
}
