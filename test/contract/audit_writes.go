package contract

import (
	"context"
	"errors"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// isInvalid reports whether err is a validation error.
func isInvalid(err error) bool {
	var ve *user.ValidationError
	return errors.As(err, &ve)
}

// Malformed ids are invalid input on every store (PostgreSQL's columns are
// uuids), and a duplicate id neither replaces the stored event nor spoils
// the transaction it happens in.
func auditBadIDs(f *fixture) {
	u := f.addUser("ada@example.com").ID()
	for what, e := range map[string]audit.Event{
		"id":         {ID: "not-a-uuid", Type: audit.Signup, At: t0},
		"user id":    {ID: f.id(), Type: audit.Signup, UserID: "not-a-uuid", At: t0},
		"session id": {ID: f.id(), Type: audit.Signup, SessionID: "not-a-uuid", At: t0},
	} {
		if err := f.Audit.Record(f.ctx, e); !isInvalid(err) {
			f.Errorf("Record with a malformed %s: err = %v, want a *user.ValidationError", what, err)
		}
	}
	if _, err := f.Audit.List(f.ctx, outbound.AuditQuery{Before: "not-a-uuid", Limit: 10}); !isInvalid(err) {
		f.Errorf("List before a malformed id: err = %v, want a *user.ValidationError", err)
	}

	first := f.record(audit.Signup, u, t0)
	after := f.newEvent(audit.LoginSucceeded, u, t0.Add(time.Minute))
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		dup := first
		dup.Type, dup.IP = audit.Logout, "192.0.2.1"
		if err := r.Audit.Record(ctx, dup); !isInvalid(err) {
			f.Errorf("Record with a taken id: err = %v, want a *user.ValidationError", err)
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
// the same transaction as the delete names the user that is gone.
func auditSurvivesUserDeletion(f *fixture) {
	u := f.addUser("ada@example.com")
	s := f.addSession(u, t0)
	login := f.newEvent(audit.LoginSucceeded, u.ID(), t0)
	login.SessionID = s.ID()
	f.must(f.Audit.Record(f.ctx, login))
	deleted := f.newEvent(audit.UserDeleted, u.ID(), t0.Add(time.Hour))
	deleted.Detail = map[string]string{"actor": string(u.ID())}
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Delete(ctx, u.ID()); err != nil {
			return err
		}
		return r.Audit.Record(ctx, deleted)
	}))
	if _, err := f.Sessions.Get(f.ctx, s.ID()); !errors.Is(err, session.ErrNotFound) {
		f.Fatalf("session of the deleted user: Get err = %v, want session.ErrNotFound", err)
	}
	got := f.listEvents(outbound.AuditQuery{UserID: u.ID(), Limit: 10})
	f.sameEventIDs("events of the deleted user", got, deleted, login)
	f.sameEvent(got[0], deleted)
	f.sameEvent(got[1], login)
}
