package application

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// MailIssuer is what every use case that mails shares: it issues one-time
// secrets and queues the messages that carry them, inside the caller's unit
// of work, so a secret and its mail commit together or not at all; and it
// wakes the sender once the unit has committed.
type MailIssuer struct {
	hasher    onetime.Hasher
	sealer    outbound.Sealer
	ids       outbound.IDGenerator
	signal    outbound.MailSignal
	links     MailLinks
	lifetimes SecretLifetimes
	enabled   bool
	emails    outbound.EmailNormalizer
}

// NewMailIssuer builds the issuer.
func NewMailIssuer(hasher onetime.Hasher, sealer outbound.Sealer, ids outbound.IDGenerator, signal outbound.MailSignal,
	links MailLinks, lifetimes SecretLifetimes, enabled MailEnabled, emails outbound.EmailNormalizer) *MailIssuer {
	return &MailIssuer{
		hasher: hasher, sealer: sealer, ids: ids, signal: signal, links: links, lifetimes: lifetimes,
		enabled: bool(enabled), emails: emails,
	}
}

// secretMail says, for each purpose of a secret, which message carries it,
// which page its link opens, how long it lives and whether the code goes
// in the mail.
func (m *MailIssuer) secretMail(p onetime.Purpose) (outbound.MailPurpose, string, time.Duration) {
	switch p {
	case onetime.VerifyEmail:
		return outbound.MailVerifyEmail, m.links.VerifyEmail, m.lifetimes.Verification
	case onetime.ResetPassword:
		return outbound.MailResetPassword, m.links.ResetPassword, m.lifetimes.Reset
	default:
		return outbound.MailConfirmEmailChange, m.links.ConfirmEmailChange, m.lifetimes.EmailChange
	}
}

// requireEnabled fails with outbound.ErrMailDisabled when mail is off (a
// nil issuer is one that never mails).
func (m *MailIssuer) requireEnabled() error {
	if m == nil || !m.enabled {
		return outbound.ErrMailDisabled
	}
	return nil
}

// issue supersedes the user's pending secrets of the purpose, stores a new
// one mailed to `to`, and queues its message.
func (m *MailIssuer) issue(ctx context.Context, r outbound.Repositories, userID user.ID, purpose onetime.Purpose, to user.Email, now time.Time) error {
	_, err := m.issueAndQueue(ctx, r, userID, purpose, to, now, time.Time{})
	return err
}

// issueAndQueue is issue; with a non-zero leaseUntil the message is queued
// already claimed by the caller, which sends it at once, and returned.
func (m *MailIssuer) issueAndQueue(ctx context.Context, r outbound.Repositories, userID user.ID, purpose onetime.Purpose,
	to user.Email, now, leaseUntil time.Time) (outbound.OutboxMessage, error) {
	if err := m.requireEnabled(); err != nil {
		return outbound.OutboxMessage{}, err
	}
	mp, base, ttl := m.secretMail(purpose)
	is, err := onetime.Issue(m.hasher, onetime.ID(m.ids.NewID()), userID, purpose, to, now, ttl)
	if err != nil {
		return outbound.OutboxMessage{}, err
	}
	if _, err := r.Secrets.SupersedePending(ctx, userID, purpose, now); err != nil {
		return outbound.OutboxMessage{}, err
	}
	if err := r.Secrets.Add(ctx, is.Secret); err != nil {
		return outbound.OutboxMessage{}, err
	}
	content := outbound.MailContent{Link: base + "#token=" + is.Token.Reveal(), ExpiresAt: is.Secret.ExpiresAt()}
	if purpose.AcceptsCode() {
		content.Code = is.Code.Reveal()
	}
	msg, err := m.message(mp, to, content, now)
	if err != nil {
		return outbound.OutboxMessage{}, err
	}
	if leaseUntil.IsZero() {
		return msg, r.Outbox.Enqueue(ctx, msg)
	}
	msg.Attempt = 1
	return msg, r.Outbox.EnqueueClaimed(ctx, msg, leaseUntil)
}

// notify queues a notice that carries no secret.
func (m *MailIssuer) notify(ctx context.Context, r outbound.Repositories, mp outbound.MailPurpose, to user.Email, content outbound.MailContent, now time.Time) error {
	if err := m.requireEnabled(); err != nil {
		return err
	}
	return m.enqueue(ctx, r, mp, to, content, now)
}

func (m *MailIssuer) enqueue(ctx context.Context, r outbound.Repositories, mp outbound.MailPurpose, to user.Email, content outbound.MailContent, now time.Time) error {
	msg, err := m.message(mp, to, content, now)
	if err != nil {
		return err
	}
	return r.Outbox.Enqueue(ctx, msg)
}

// message seals content into a new outbox message.
func (m *MailIssuer) message(mp outbound.MailPurpose, to user.Email, content outbound.MailContent, now time.Time) (outbound.OutboxMessage, error) {
	plain, err := json.Marshal(content)
	if err != nil {
		return outbound.OutboxMessage{}, fmt.Errorf("encode mail content: %w", err)
	}
	sealed, err := m.sealer.Seal(plain)
	if err != nil {
		return outbound.OutboxMessage{}, fmt.Errorf("seal mail content: %w", err)
	}
	return outbound.OutboxMessage{ID: ident.UUID(m.ids.NewID()), Purpose: mp, To: to.String(), Payload: sealed, CreatedAt: now}, nil
}

// committed wakes the sender after a unit of work that queued mail.
func (m *MailIssuer) committed() { m.signal.MailEnqueued() }
