package application

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ForgotPassword mails a password reset to an address whose account is
// enabled (with or without a password: a reset can set the first one).
type ForgotPassword struct {
	users  outbound.UserRepository
	tx     outbound.Transactor
	mail   *MailIssuer
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.ForgotPassword = (*ForgotPassword)(nil)

// NewForgotPassword builds the use case.
func NewForgotPassword(users outbound.UserRepository, tx outbound.Transactor, mail *MailIssuer,
	clock outbound.Clock, ids outbound.IDGenerator) *ForgotPassword {
	return &ForgotPassword{users: users, tx: tx, mail: mail, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle answers the same whatever the address (see requestMail).
func (uc *ForgotPassword) Handle(ctx context.Context, cmd inbound.ForgotPasswordCommand) error {
	return requestMail(ctx, mailRequest{
		users: uc.users, tx: uc.tx, mail: uc.mail, clock: uc.clock, events: uc.events,
		email: cmd.Email, client: cmd.Client, purpose: onetime.ResetPassword, event: audit.PasswordResetRequested,
		wanted: func(u *user.User) bool { return u.CanAuthenticate() == nil },
	})
}
