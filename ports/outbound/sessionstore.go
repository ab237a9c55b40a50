package outbound

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
)

// ErrSessionConflict means a session read during a unit of work changed
// before the unit committed (another instance refreshed it, say). Nothing
// of the unit was applied; the unit is run again.
var ErrSessionConflict = errors.New("a session changed during the unit of work")

// SessionStore is a session store kept apart from the main database (Redis,
// say) that can take part in a unit of work the main database leads. The
// storage adapters of package compose join the two into one Transactor.
type SessionStore interface {
	// Begin opens a unit of work on the store.
	Begin(ctx context.Context) (SessionUnit, error)
}

// SessionUnit is one unit of work on a SessionStore.
type SessionUnit interface {
	// Sessions is the repository bound to the unit. Its reads see the
	// unit's own writes; its writes are staged until Commit. Its Update may
	// be optimistic: read without a lock, and let Commit fail with
	// ErrSessionConflict if the session changed meanwhile.
	Sessions() SessionRepository
	// Commit applies every staged write and takes events with them, all at
	// once or not at all; the store hands the events on to the audit log
	// later, each exactly once. It fails with ErrSessionConflict when a
	// session the unit read has changed since; then nothing is applied.
	Commit(ctx context.Context, events []audit.Event) error
	// Rollback drops whatever is staged; after Commit it does nothing.
	Rollback()
}

// AuditImporter takes into the audit log events that committed elsewhere
// first: with the session changes they record, in a SessionStore. An event
// whose id the log holds already is skipped, not refused, so a batch handed
// over twice (a retry after a failure, two instances draining one store)
// lands once. The batch commits as a whole or not at all.
type AuditImporter interface {
	Import(ctx context.Context, events []audit.Event) error
}
