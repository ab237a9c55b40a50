package contract

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/outbound"
)

// isInvalid reports whether err is a validation error.
func isInvalid(err error) bool {
	var ve *validation.Error
	return errors.As(err, &ve)
}

// A taken id is a broken invariant (ids are fresh UUIDv7), so Record fails
// with an internal error, not a validation error; it neither replaces the
// stored event nor spoils the transaction it happens in.
func auditTakenID(f *fixture) {
	u := f.addUser("ada@example.com").ID()
	first := f.record(audit.Signup, u, t0)
	after := f.newEvent(audit.LoginSucceeded, u, t0.Add(time.Minute))
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		dup := first
		dup.Type, dup.IP = audit.Logout, "192.0.2.1"
		switch err := r.Audit.Record(ctx, dup); {
		case err == nil:
			f.Error("Record with a taken id succeeded")
		case isInvalid(err):
			f.Errorf("Record with a taken id: err = %v, a *validation.Error; want an internal error", err)
		}
		return r.Audit.Record(ctx, after)
	}))
	got := f.listEvents(outbound.AuditQuery{Limit: 10})
	f.sameEventIDs("List", got, after, first)
	f.sameEvent(got[1], first)
}

// Stored events are values: neither the recorder's map nor a listed one
// reaches back into the store.
func auditDetailIsCopied(f *fixture) {
	e := f.newEvent(audit.RoleChanged, f.addUser("ada@example.com").ID(), t0)
	e.Detail = map[string]string{"from": "user", "to": "admin"}
	want := e
	want.Detail = map[string]string{"from": "user", "to": "admin"}
	f.must(f.Audit.Record(f.ctx, e))
	e.Detail["to"] = "root"

	listed := f.listEvents(outbound.AuditQuery{Limit: 10})
	f.sameEvent(listed[0], want)
	listed[0].Detail["from"] = "nobody"
	f.sameEvent(f.listEvents(outbound.AuditQuery{Limit: 10})[0], want)
	// Nor does one listed inside a transaction.
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		inside, err := r.Audit.List(ctx, outbound.AuditQuery{Limit: 10})
		if err != nil {
			return err
		}
		inside[0].Detail["to"] = "root"
		return nil
	}))
	f.sameEvent(f.listEvents(outbound.AuditQuery{Limit: 10})[0], want)
}

// An event is written in the transaction of the change it records: it
// rolls back with a failed change and commits with a successful one.
func auditTransaction(f *fixture) {
	u := f.addUser("ada@example.com")
	rolledBack := f.newEvent(audit.RoleChanged, u.ID(), t0)
	boom := errors.New("boom")
	err := f.within(func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Users.Update(ctx, u.ID(), func(u *user.User) error {
			u.ChangeRole(user.RoleAdmin, t0)
			return nil
		}); err != nil {
			return err
		}
		if err := r.Audit.Record(ctx, rolledBack); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Within err = %v, want fn's error", err)
	}
	f.sameEventIDs("List after a rolled-back transaction", f.listEvents(outbound.AuditQuery{Limit: 10}))

	committed := f.newEvent(audit.UserDisabled, u.ID(), t0.Add(time.Minute))
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Audit.Record(ctx, committed); err != nil {
			return err
		}
		// The transaction sees its own event (on SQLite, an audit log
		// that reached for the pool would wait forever here instead).
		inside, err := r.Audit.List(ctx, outbound.AuditQuery{UserID: u.ID(), Limit: 10})
		if err != nil {
			return err
		}
		f.sameEventIDs("List inside the transaction", inside, committed)
		return nil
	}))
	got := f.listEvents(outbound.AuditQuery{Limit: 10})
	f.sameEventIDs("List after a committed transaction", got, committed)
	f.sameEvent(got[0], committed)
}

// Deleting a user keeps its events, and the user_deleted event recorded in
// the same transaction as the delete names the user that is gone. The
// transaction does what the DeleteUser use case does: the user's sessions,
// then the user.
func auditSurvivesUserDeletion(f *fixture) {
	u := f.addUser("ada@example.com")
	s := f.addSession(u, t0)
	login := f.newEvent(audit.LoginSucceeded, u.ID(), t0)
	login.SessionID = s.ID()
	f.must(f.Audit.Record(f.ctx, login))
	deleted := f.newEvent(audit.UserDeleted, u.ID(), t0.Add(time.Hour))
	deleted.Detail = map[string]string{"actor": u.ID().String()}
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Sessions.DeleteAllOf(ctx, u.ID()); err != nil {
			return err
		}
		if err := r.Users.Delete(ctx, u.ID()); err != nil {
			return err
		}
		return r.Audit.Record(ctx, deleted)
	}))
	if _, err := f.Users.Get(f.ctx, u.ID()); !errors.Is(err, user.ErrNotFound) {
		f.Fatalf("deleted user: Get err = %v, want user.ErrNotFound", err)
	}
	got := f.listEvents(outbound.AuditQuery{UserID: u.ID(), Limit: 10})
	f.sameEventIDs("events of the deleted user", got, deleted, login)
	f.sameEvent(got[0], deleted)
	f.sameEvent(got[1], login)
}
