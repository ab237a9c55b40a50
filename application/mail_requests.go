package application

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// requestPayload is what a request for mail remembers of its client, for
// the audit event written when it is fulfilled. It is sealed like a mail.
type requestPayload struct {
	IP        string `json:"ip,omitempty"`
	UserAgent string `json:"userAgent,omitempty"`
}

// request queues a request for mail to raw, an address: one outbox row,
// whatever the address, and no lookup of the account. That is what makes
// the answer the same, and as long, for every address: whether an account
// exists is only looked at later, by the sender (MailRequests.fulfil).
func (m *MailIssuer) request(ctx context.Context, outbox outbound.Outbox, kind outbound.MailPurpose, raw string,
	client inbound.Client, now time.Time) error {
	if err := m.requireEnabled(); err != nil {
		return err
	}
	email, err := parseEmail(m.emails, raw)
	if err != nil {
		return err
	}
	plain, err := json.Marshal(requestPayload{IP: client.IP, UserAgent: session.BoundUserAgent(client.UserAgent)})
	if err != nil {
		return fmt.Errorf("encode mail request: %w", err)
	}
	sealed, err := m.sealer.Seal(plain)
	if err != nil {
		return fmt.Errorf("seal mail request: %w", err)
	}
	err = outbox.Enqueue(ctx, outbound.OutboxMessage{
		ID: ident.UUID(m.ids.NewID()), Purpose: kind, To: email.String(), Payload: sealed, CreatedAt: now,
	})
	if err != nil {
		return err
	}
	m.committed()
	return nil
}

// MailRequests fulfils the requests for mail that SendVerification and
// ForgotPassword queue: in one unit of work it looks the address up, and
// if its account should get the mail issues the secret and queues the
// mail; it records the request in the audit trail either way (detail
// "mailed" says which), and marks the request done.
type MailRequests struct {
	tx     outbound.Transactor
	mail   *MailIssuer
	clock  outbound.Clock
	events eventFactory
}

// NewMailRequests builds the fulfilment.
func NewMailRequests(tx outbound.Transactor, mail *MailIssuer, clock outbound.Clock, ids outbound.IDGenerator) *MailRequests {
	return &MailRequests{tx: tx, mail: mail, clock: clock, events: eventFactory{clock: clock, ids: ids}}
}

// requestKind is what each kind of request issues, records, and for whom.
type requestKind struct {
	purpose onetime.Purpose
	event   audit.Type
	wanted  func(*user.User) bool
}

var requestKinds = map[outbound.MailPurpose]requestKind{
	outbound.MailRequestVerifyEmail: {onetime.VerifyEmail, audit.EmailVerificationSent,
		func(u *user.User) bool { return u.CanAuthenticate() == nil && !u.EmailVerified() }},
	outbound.MailRequestResetPassword: {onetime.ResetPassword, audit.PasswordResetRequested,
		func(u *user.User) bool { return u.CanAuthenticate() == nil }},
}

// errBadRequest means a queued request cannot be fulfilled, ever.
var errBadRequest = errors.New("the mail request is malformed")

// fulfil handles one claimed request, whose payload is already opened.
// It settles the request as sent in the same unit of work, so a request is
// fulfilled once even if the sender dies right after. The mail it queues,
// if any, is queued claimed by the caller until leaseUntil and returned:
// the caller sends it at once.
func (r *MailRequests) fulfil(ctx context.Context, m outbound.OutboxMessage, payload []byte, leaseUntil time.Time) (*outbound.OutboxMessage, error) {
	kind, known := requestKinds[m.Purpose]
	var client requestPayload
	email, err := user.ParseEmail(m.To)
	if !known || err != nil || json.Unmarshal(payload, &client) != nil {
		return nil, errBadRequest
	}
	now := r.clock.Now()
	var mail *outbound.OutboxMessage
	err = r.tx.Within(ctx, func(ctx context.Context, repos outbound.Repositories) error {
		mail = nil
		mailed := false
		var userID user.ID
		u, err := repos.Users.FindByEmail(ctx, email)
		if err != nil && !errors.Is(err, user.ErrNotFound) {
			return err
		}
		if u != nil {
			// Locking the account serialises its requests, so two of them
			// cannot both leave a pending secret.
			if u, err = repos.Users.Update(ctx, u.ID(), func(*user.User) error { return nil }); err != nil {
				return err
			}
			userID = u.ID()
			if kind.wanted(u) {
				queued, err := r.mail.issueAndQueue(ctx, repos, u.ID(), kind.purpose, u.Email(), now, leaseUntil)
				if err != nil {
					return err
				}
				mail, mailed = &queued, true
			}
		}
		e := r.events.new(kind.event, userID, session.ID{}, inbound.Client{IP: client.IP, UserAgent: client.UserAgent},
			map[string]string{"email": email.String(), "mailed": strconv.FormatBool(mailed)})
		if err := repos.Audit.Record(ctx, e); err != nil {
			return err
		}
		return repos.Outbox.Settle(ctx, m.ID, m.Attempt, outbound.Settlement{Status: outbound.OutboxSent, At: now})
	})
	if err != nil {
		return nil, err
	}
	return mail, nil
}
