package compose

import (
	"context"
	"errors"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/ports/outbound"
)

// defaultAttempts bounds how often Within runs a unit that keeps meeting
// conflicts: concurrent refreshes of one token settle in one or two rounds.
const defaultAttempts = 8

// Transactor runs a unit of work over a main transactor (users and the
// audit log) and a separate session store.
type Transactor struct {
	Main     outbound.Transactor
	Sessions outbound.SessionStore
	// Attempts bounds the runs of a unit that meets conflicts (0: 8).
	Attempts int
}

var _ outbound.Transactor = Transactor{}

// Within runs fn inside a main transaction and a session unit. The
// session store's own writes are atomic among themselves and, when the
// unit changed no user, with the unit's audit events: those go to the
// session store with them (whose adapter hands them on to the audit log,
// each exactly once), and that commit happens once the main transaction,
// which then holds only reads, has ended. When the unit also changed a
// user, the session writes are applied first, inside the main
// transaction, and the user change and every audit event then commit
// together in it; if that commit fails, the session writes stay. The use
// cases are written so that such leftovers only ever end sessions or add
// one whose token nobody received.
//
// A conflict rolls the unit back and runs fn again, at most Attempts
// times; fn must therefore have no effect outside the stores it is handed.
func (t Transactor) Within(ctx context.Context, fn func(ctx context.Context, repos outbound.Repositories) error) error {
	attempts := t.Attempts
	if attempts <= 0 {
		attempts = defaultAttempts
	}
	for attempt := 1; ; attempt++ {
		err := t.once(ctx, fn)
		if !errors.Is(err, outbound.ErrSessionConflict) || attempt >= attempts {
			return err
		}
	}
}

// once runs fn one time. A unit that changed no user (and issued no
// one-time secret or mail, which live in the main store too) leaves its session
// commit until the main transaction has ended, so that the session store
// never waits on, or calls into, a main store that is mid-transaction.
func (t Transactor) once(ctx context.Context, fn func(context.Context, outbound.Repositories) error) error {
	unit, err := t.Sessions.Begin(ctx)
	if err != nil {
		return err
	}
	defer unit.Rollback()
	var pending []audit.Event
	sessionsOnly := false
	err = t.Main.Within(ctx, func(ctx context.Context, main outbound.Repositories) error {
		users := &writeTracker{UserRepository: main.Users}
		events := &eventBuffer{AuditLog: main.Audit}
		repos := outbound.Repositories{
			Users: users, Sessions: unit.Sessions(), Audit: events,
			// Writes to the other repositories of the main store count as
			// the main store's: they decide where the events commit too.
			Identities: identityWrites{IdentityRepository: main.Identities, w: users},
			LoginCodes: loginCodeWrites{LoginCodeRepository: main.LoginCodes, w: users},
			Secrets:    secretWrites{SecretRepository: main.Secrets, w: users},
			Outbox:     outboxWrites{Outbox: main.Outbox, w: users},
		}
		if err := fn(ctx, repos); err != nil {
			return err
		}
		if !users.wrote {
			sessionsOnly, pending = true, events.recorded
			return nil
		}
		if err := unit.Commit(ctx, nil); err != nil {
			return err
		}
		for _, e := range events.recorded {
			if err := main.Audit.Record(ctx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || !sessionsOnly {
		return err
	}
	return unit.Commit(ctx, pending)
}
