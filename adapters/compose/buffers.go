package compose

import (
	"context"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// writeTracker is the main store's user repository, noting whether the unit
// of work wrote through it: that decides where the unit's events go.
type writeTracker struct {
	outbound.UserRepository
	wrote bool
}

func (w *writeTracker) Add(ctx context.Context, u *user.User) error {
	w.wrote = true
	return w.UserRepository.Add(ctx, u)
}

func (w *writeTracker) Update(ctx context.Context, id user.ID, fn func(*user.User) error) (*user.User, error) {
	w.wrote = true
	return w.UserRepository.Update(ctx, id, fn)
}

func (w *writeTracker) Delete(ctx context.Context, id user.ID) error {
	w.wrote = true
	return w.UserRepository.Delete(ctx, id)
}

// eventBuffer holds the events a unit of work records until the unit knows
// which store they commit with; reads go to the main audit log.
type eventBuffer struct {
	outbound.AuditLog
	recorded []audit.Event
}

func (b *eventBuffer) Record(_ context.Context, e audit.Event) error {
	b.recorded = append(b.recorded, e)
	return nil
}

// identityWrites and loginCodeWrites note writes to the main store's
// identities and sign-in login codes on the unit's tracker.
type identityWrites struct {
	outbound.IdentityRepository
	w *writeTracker
}

func (i identityWrites) Add(ctx context.Context, id *identity.Identity) error {
	i.w.wrote = true
	return i.IdentityRepository.Add(ctx, id)
}

func (i identityWrites) Delete(ctx context.Context, id identity.ID) error {
	i.w.wrote = true
	return i.IdentityRepository.Delete(ctx, id)
}

type loginCodeWrites struct {
	outbound.LoginCodeRepository
	w *writeTracker
}

func (l loginCodeWrites) Add(ctx context.Context, c identity.LoginCode) error {
	l.w.wrote = true
	return l.LoginCodeRepository.Add(ctx, c)
}

func (l loginCodeWrites) Take(ctx context.Context, h identity.SecretHash) (identity.LoginCode, error) {
	l.w.wrote = true
	return l.LoginCodeRepository.Take(ctx, h)
}

// secretWrites and outboxWrites note writes to the main store's one-time
// secrets and outbox on the unit's tracker: a unit that issues a secret and
// its mail changed the main store, like one that changed a user.
type secretWrites struct {
	outbound.SecretRepository
	w *writeTracker
}

func (s secretWrites) Add(ctx context.Context, sec *onetime.Secret) error {
	s.w.wrote = true
	return s.SecretRepository.Add(ctx, sec)
}

func (s secretWrites) Update(ctx context.Context, id onetime.ID, fn func(*onetime.Secret) error) (*onetime.Secret, error) {
	s.w.wrote = true
	return s.SecretRepository.Update(ctx, id, fn)
}

func (s secretWrites) SupersedePending(ctx context.Context, userID user.ID, purpose onetime.Purpose, now time.Time) (int, error) {
	s.w.wrote = true
	return s.SecretRepository.SupersedePending(ctx, userID, purpose, now)
}

type outboxWrites struct {
	outbound.Outbox
	w *writeTracker
}

func (o outboxWrites) Enqueue(ctx context.Context, m outbound.OutboxMessage) error {
	o.w.wrote = true
	return o.Outbox.Enqueue(ctx, m)
}

func (o outboxWrites) EnqueueClaimed(ctx context.Context, m outbound.OutboxMessage, leaseUntil time.Time) error {
	o.w.wrote = true
	return o.Outbox.EnqueueClaimed(ctx, m, leaseUntil)
}

func (o outboxWrites) Settle(ctx context.Context, id ident.UUID, attempt int, s outbound.Settlement) error {
	o.w.wrote = true
	return o.Outbox.Settle(ctx, id, attempt, s)
}
