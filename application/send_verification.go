package application

import (
	"context"

	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// SendVerification asks for a verification mail to an address; the mail
// goes out if the address has an account that is enabled and unverified
// (see MailRequests).
type SendVerification struct {
	outbox outbound.Outbox
	mail   *MailIssuer
	clock  outbound.Clock
}

var _ inbound.SendVerification = (*SendVerification)(nil)

// NewSendVerification builds the use case.
func NewSendVerification(outbox outbound.Outbox, mail *MailIssuer, clock outbound.Clock) *SendVerification {
	return &SendVerification{outbox: outbox, mail: mail, clock: clock}
}

// Handle queues the request: the same work whatever the address.
func (uc *SendVerification) Handle(ctx context.Context, cmd inbound.SendVerificationCommand) error {
	return uc.mail.request(ctx, uc.outbox, outbound.MailRequestVerifyEmail, cmd.Email, cmd.Client, uc.clock.Now())
}
