package outbound

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/ident"
)

// Facts about mail that the use cases pass on unchanged.
var (
	// ErrMailDisabled means no mail transport is configured (production
	// without mail.smtp_url): nothing that must send a mail can be done.
	ErrMailDisabled = errors.New("mail is disabled")
	// ErrMailRejected means the mail server refused a message for good
	// (a permanent 5xx reply): retrying cannot help.
	ErrMailRejected = errors.New("mail rejected by the server")
)

// MailPurpose names a kind of message; each has its own subject and
// templates.
type MailPurpose string

// The messages authd sends.
const (
	// MailVerifyEmail carries a verification link and code.
	MailVerifyEmail MailPurpose = "verify_email"
	// MailResetPassword carries a password-reset link and code.
	MailResetPassword MailPurpose = "reset_password"
	// MailConfirmEmailChange goes to the new address of a change, with the
	// confirmation link.
	MailConfirmEmailChange MailPurpose = "confirm_email_change"
	// MailEmailChangeRequested tells the old address a change was asked for.
	MailEmailChangeRequested MailPurpose = "email_change_requested"
	// MailEmailChanged tells the old address the change is done.
	MailEmailChanged MailPurpose = "email_changed"
)

// Requests for mail. A request that must not reveal whether an address
// has an account (a verification or a reset asked for by address) only
// queues one of these, the same row whatever the address; the sender
// fulfils it later, issuing a secret and queueing its mail if the account
// exists and should get one. They are never rendered or sent.
const (
	MailRequestVerifyEmail   MailPurpose = "request_verify_email"
	MailRequestResetPassword MailPurpose = "request_reset_password"
)

// IsRequest reports whether p is a request for mail rather than a mail.
func (p MailPurpose) IsRequest() bool {
	return p == MailRequestVerifyEmail || p == MailRequestResetPassword
}

// MailPurposes lists every purpose of a message that is sent.
var MailPurposes = []MailPurpose{
	MailVerifyEmail, MailResetPassword, MailConfirmEmailChange, MailEmailChangeRequested, MailEmailChanged,
}

// MailContent is what a message says beyond its purpose and recipient. It
// holds a live secret (Link carries the token in its fragment), so it is
// sealed before it is stored and exists in the clear only on its way into
// the mail.
type MailContent struct {
	// Link is <link base>#token=<token>, empty for a notice.
	Link string `json:"link,omitempty"`
	// Code is the 6-digit code, empty when the purpose takes none.
	Code string `json:"code,omitempty"`
	// NewEmail is the new address of an email change, for the notices.
	NewEmail string `json:"newEmail,omitempty"`
	// ExpiresAt is when the link and code stop working; zero for a notice.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
}

// OutboxMessage is one message waiting in, or taken from, the outbox.
type OutboxMessage struct {
	ID      ident.UUID
	Purpose MailPurpose
	// To is the recipient, a normalised address.
	To string
	// Payload is the sealed MailContent (see Sealer).
	Payload   []byte
	CreatedAt time.Time
	// Attempt counts the claims of the message, the current one included;
	// Claim sets it and Settle must be given it back.
	Attempt int
}

// OutboxClaim asks for due messages. A claimed message is hidden from
// other claims until LeaseUntil, by when its claimer must have settled it;
// if the claimer died, the message is due again then.
type OutboxClaim struct {
	Now        time.Time
	LeaseUntil time.Time
	// MaxAttempts bounds the claims of one message: one due again after
	// its last claim (its claimer died) is marked failed, not sent again.
	MaxAttempts int
	Limit       int
}

// OutboxStatus is the state of a message.
type OutboxStatus string

// The states of an outbox message.
const (
	OutboxPending OutboxStatus = "pending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
)

// Settlement is the outcome of one delivery attempt.
type Settlement struct {
	// Status is OutboxSent, OutboxPending (try again at At) or OutboxFailed.
	Status OutboxStatus
	// At is when it was sent or given up, or when to try again.
	At time.Time
	// Error says why the attempt failed, in words that hold no secret.
	Error string
}

// OutboxStats describe the queue, for metrics: how many messages wait,
// how many failed for good, and when the oldest waiting one was enqueued
// (zero when none waits).
type OutboxStats struct {
	Pending       int
	Failed        int
	OldestPending time.Time
}

// Outbox is the durable queue of mail. Enqueue, bound to a unit of work
// (Repositories.Outbox), commits with the secret the message carries.
// Claims are exclusive across every process sharing the store, so a
// message is handed to one sender at a time.
type Outbox interface {
	Enqueue(ctx context.Context, m OutboxMessage) error
	// EnqueueClaimed stores a message already claimed by the caller, at
	// attempt 1, until leaseUntil: the caller sends it at once and settles
	// it; if the caller dies, the message is due at the end of the lease.
	EnqueueClaimed(ctx context.Context, m OutboxMessage, leaseUntil time.Time) error
	// Claim takes up to c.Limit pending messages due at c.Now, those due
	// longest first, and returns them in enqueue order, each with its
	// Attempt counted and hidden until c.LeaseUntil.
	Claim(ctx context.Context, c OutboxClaim) ([]OutboxMessage, error)
	// Settle records the outcome of the claim numbered attempt. A claim
	// that is no longer the message's latest (its lease ran out and
	// another sender took it) changes nothing.
	Settle(ctx context.Context, id ident.UUID, attempt int, s Settlement) error
	Stats(ctx context.Context) (OutboxStats, error)
}

// Sealer encrypts and authenticates what the outbox keeps, so that a copy
// of the database yields no live token or code.
type Sealer interface {
	Seal(plaintext []byte) ([]byte, error)
	// Open fails for anything Seal (under the same key) did not make.
	Open(sealed []byte) ([]byte, error)
}

// RenderedMail is a message ready to send: a subject and two bodies.
type RenderedMail struct {
	Subject string
	Text    string
	HTML    string
}

// MailRenderer turns a purpose and its content into a message from the
// templates.
type MailRenderer interface {
	Render(purpose MailPurpose, to string, c MailContent) (RenderedMail, error)
}

// Mail is one message handed to a Mailer: the structured content (a
// development mailer may log it) and its rendered form.
type Mail struct {
	// MessageID is stable across the retries of one outbox message, so a
	// receiving server can recognise a duplicate.
	MessageID string
	To        string
	Purpose   MailPurpose
	Content   MailContent
	Rendered  RenderedMail
}

// Mailer delivers one message. It honours ctx's deadline and fails with an
// error wrapping ErrMailRejected when the server refused the message for
// good; any other error is worth another attempt.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// MailSignal is told when a unit of work that enqueued mail has committed,
// so a sender in this process starts at once instead of at its next poll.
type MailSignal interface {
	MailEnqueued()
}

// MailObserver hears the outcome of every delivery attempt: where logs and
// metrics of mail hook in. Errors it is given hold no secret.
type MailObserver interface {
	// MailSent: delivered at the given attempt, age after it was enqueued.
	MailSent(p MailPurpose, attempt int, age time.Duration)
	// MailDeferred: the attempt failed and another one is scheduled.
	MailDeferred(p MailPurpose, attempt int, err error)
	// MailFailed: given up after attempts; the message is kept as failed.
	MailFailed(p MailPurpose, attempts int, err error)
}
