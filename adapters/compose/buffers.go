package compose

import (
	"context"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
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

// identityWrites notes, in the unit's flag, a write to the main store's
// identities.
type identityWrites struct {
	outbound.IdentityRepository
	wrote *bool
}

func (w identityWrites) Add(ctx context.Context, i *identity.Identity) error {
	*w.wrote = true
	return w.IdentityRepository.Add(ctx, i)
}

func (w identityWrites) Delete(ctx context.Context, id identity.ID) error {
	*w.wrote = true
	return w.IdentityRepository.Delete(ctx, id)
}

// loginCodeWrites notes, in the unit's flag, a write to the main store's
// login codes.
type loginCodeWrites struct {
	outbound.LoginCodeRepository
	wrote *bool
}

func (w loginCodeWrites) Add(ctx context.Context, c identity.LoginCode) error {
	*w.wrote = true
	return w.LoginCodeRepository.Add(ctx, c)
}

func (w loginCodeWrites) Take(ctx context.Context, h identity.SecretHash) (identity.LoginCode, error) {
	*w.wrote = true
	return w.LoginCodeRepository.Take(ctx, h)
}
