package compose

import (
	"context"

	"github.com/authd/authd/domain/audit"
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
