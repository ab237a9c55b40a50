package application

import (
	"context"
	"errors"
	"strconv"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// SendVerification mails a verification to an address whose account is
// enabled and unverified.
type SendVerification struct {
	users  outbound.UserRepository
	tx     outbound.Transactor
	mail   *MailIssuer
	clock  outbound.Clock
	events eventFactory
}

var _ inbound.SendVerification = (*SendVerification)(nil)

// NewSendVerification builds the use case.
func NewSendVerification(users outbound.UserRepository, tx outbound.Transactor, mail *MailIssuer,
	clock outbound.Clock, ids outbound.IDGenerator) *SendVerification {
	return &SendVerification{users: users, tx: tx, mail: mail, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// Handle answers the same whatever the address (see requestMail).
func (uc *SendVerification) Handle(ctx context.Context, cmd inbound.SendVerificationCommand) error {
	return requestMail(ctx, mailRequest{
		users: uc.users, tx: uc.tx, mail: uc.mail, clock: uc.clock, events: uc.events,
		email: cmd.Email, client: cmd.Client, purpose: onetime.VerifyEmail, event: audit.EmailVerificationSent,
		wanted: func(u *user.User) bool { return u.CanAuthenticate() == nil && !u.EmailVerified() },
	})
}

// mailRequest is a request for a secret by mail to an address, from
// someone who need not be signed in: a verification or a password reset.
type mailRequest struct {
	users   outbound.UserRepository
	tx      outbound.Transactor
	mail    *MailIssuer
	clock   outbound.Clock
	events  eventFactory
	email   string
	client  inbound.Client
	purpose onetime.Purpose
	event   audit.Type
	// wanted says whether the account should get the mail.
	wanted func(*user.User) bool
}

// requestMail answers alike whether or not the address has an account, and
// does the same kind of work either way: one unit of work that records the
// request in the audit trail, and, when the account should get the mail,
// also issues the secret and queues its message (a few more rows in the
// same commit). No mail server is ever waited on: the outbox is.
func requestMail(ctx context.Context, m mailRequest) error {
	if err := m.mail.requireEnabled(); err != nil {
		return err
	}
	email, err := user.ParseEmail(m.email)
	if err != nil {
		return err
	}
	known, err := m.users.FindByEmail(ctx, email)
	if err != nil && !errors.Is(err, user.ErrNotFound) {
		return err
	}
	now := m.clock.Now()
	mailed := false
	err = m.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		mailed = false
		var userID user.ID
		if known != nil {
			// Locking the account serialises requests for it, so two of
			// them cannot both leave a pending secret.
			u, err := r.Users.Update(ctx, known.ID(), func(*user.User) error { return nil })
			if err != nil && !errors.Is(err, user.ErrNotFound) {
				return err
			}
			if u != nil {
				userID = u.ID()
				if m.wanted(u) {
					if err := m.mail.issue(ctx, r, u.ID(), m.purpose, u.Email(), now); err != nil {
						return err
					}
					mailed = true
				}
			}
		}
		return r.Audit.Record(ctx, m.events.new(m.event, userID, session.ID{}, m.client,
			map[string]string{"email": email.String(), "mailed": strconv.FormatBool(mailed)}))
	})
	if err != nil {
		return err
	}
	if mailed {
		m.mail.committed()
	}
	return nil
}
