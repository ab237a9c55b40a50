package application

import (
	"context"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// ForgotPassword asks for a password-reset mail to an address; the mail
// goes out if the address has an enabled account, with or without a
// password: a reset can set the first one (see MailRequests).
type ForgotPassword struct {
	outbox outbound.Outbox
	mail   *MailIssuer
	clock  outbound.Clock
}

var _ inbound.ForgotPassword = (*ForgotPassword)(nil)

// NewForgotPassword builds the use case.
func NewForgotPassword(outbox outbound.Outbox, mail *MailIssuer, clock outbound.Clock) *ForgotPassword {
	return &ForgotPassword{outbox: outbox, mail: mail, clock: clock}
}

// Handle queues the request: the same work whatever the address.
func (uc *ForgotPassword) Handle(ctx context.Context, cmd inbound.ForgotPasswordCommand) error {
	return uc.mail.request(ctx, uc.outbox, outbound.MailRequestResetPassword, cmd.Email, cmd.Client, uc.clock.Now())
}
