package contract

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// RunTransactor checks outbound.Transactor.
func RunTransactor(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"CommitPersistsEveryWrite", txCommit},
		{"ErrorRollsBackEveryWrite", txRollback},
		{"PanicRollsBackEveryWrite", txPanic},
		{"RepositoriesWorkInsideAndSeeTheirOwnWrites", txEveryMethod},
		{"FailedWriteInsideLeavesTheTransactionUsable", txContinueAfterFailure},
		{"ConcurrentTransactionsAllCommit", txConcurrent},
		{"UpdatingAUserSerialisesUnitsOfWorkOnIt", txUserLock},
	})
}

// within runs fn in a transaction.
func (f *fixture) within(fn func(ctx context.Context, r outbound.Repositories) error) error {
	return f.Transactor.Within(f.ctx, fn)
}

func txCommit(f *fixture) {
	u := f.newUser("ada@example.com")
	s := f.newSession(u, t0)
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Add(ctx, u); err != nil {
			return err
		}
		return r.Sessions.Add(ctx, s)
	}))
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	f.sameUser(got, u)
	f.sameSession(f.getSession(s.ID()), s)
}

// The transaction's writes, and the state before it, for the rollback tests.
type rollbackCase struct {
	before        *user.User
	beforeSession *session.Session
	added         *user.User
	addedSession  *session.Session
}

func (f *fixture) rollbackCase() rollbackCase {
	before := f.addUser("ada@example.com")
	added := f.newUser("grace@example.com")
	return rollbackCase{
		before: before, beforeSession: f.addSession(before, t0),
		added: added, addedSession: f.newSession(added, t0),
	}
}

// write makes one write of every kind, all of which must be undone.
func (c rollbackCase) write(ctx context.Context, r outbound.Repositories) error {
	if err := r.Users.Add(ctx, c.added); err != nil {
		return err
	}
	if err := r.Sessions.Add(ctx, c.addedSession); err != nil {
		return err
	}
	if _, err := r.Users.Update(ctx, c.before.ID(), func(u *user.User) error {
		u.ChangeRole(user.RoleAdmin, t0.Add(time.Minute))
		return nil
	}); err != nil {
		return err
	}
	_, err := r.Sessions.RevokeAll(ctx, c.before.ID(), session.ID{}, t0.Add(time.Minute), session.ReasonLogoutAll)
	return err
}

func (f *fixture) nothingWritten(c rollbackCase) {
	f.Helper()
	if _, err := f.Users.Get(f.ctx, c.added.ID()); !errors.Is(err, user.ErrNotFound) {
		f.Errorf("user added in the transaction: Get err = %v, want user.ErrNotFound", err)
	}
	if _, err := f.Sessions.Get(f.ctx, c.addedSession.ID()); !errors.Is(err, session.ErrNotFound) {
		f.Errorf("session added in the transaction: Get err = %v, want session.ErrNotFound", err)
	}
	got, err := f.Users.Get(f.ctx, c.before.ID())
	f.must(err)
	f.sameUser(got, c.before)
	f.sameSession(f.getSession(c.beforeSession.ID()), c.beforeSession)
	// The rolled-back email is free.
	f.addUser("grace@example.com")
}

func txRollback(f *fixture) {
	c := f.rollbackCase()
	boom := errors.New("boom")
	err := f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := c.write(ctx, r); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Within err = %v, want fn's error", err)
	}
	f.nothingWritten(c)
}

func txPanic(f *fixture) {
	c := f.rollbackCase()
	func() {
		defer func() {
			if recover() == nil {
				f.Fatal("Within swallowed fn's panic")
			}
		}()
		_ = f.within(func(ctx context.Context, r outbound.Repositories) error {
			if err := c.write(ctx, r); err != nil {
				return err
			}
			panic("boom")
		})
	}()
	f.nothingWritten(c)
}

// Every method works on the transaction's repositories (on SQLite, one that
// reached for the pool instead would wait forever for the connection the
// transaction holds) and sees the transaction's uncommitted writes.
func txEveryMethod(f *fixture) {
	doomed := f.addUser("doomed@example.com")
	leaving := f.addUser("leaving@example.com") // keeps the account, loses its sessions
	leavingSession := f.addSession(leaving, t0)
	u := f.newUser("ada@example.com")
	s1, s2 := f.newSession(u, t0), f.newSession(u, t0.Add(time.Second))
	now := t0.Add(time.Minute)
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		f.must(r.Users.Add(ctx, u))
		_, err := r.Users.Get(ctx, u.ID())
		f.must(err)
		_, err = r.Users.FindByEmail(ctx, u.Email())
		f.must(err)
		_, err = r.Users.Update(ctx, u.ID(), func(u *user.User) error {
			u.ChangeRole(user.RoleAdmin, now)
			return nil
		})
		f.must(err)
		listed, err := r.Users.List(ctx, outbound.UserQuery{EmailPrefix: "ada@", Limit: 10})
		f.must(err)
		if len(listed) != 1 || listed[0].ID() != u.ID() {
			f.Errorf("List inside the transaction: %d users, want the one just added", len(listed))
		}
		f.must(r.Users.Delete(ctx, doomed.ID()))
		f.must(r.Sessions.Add(ctx, s1))
		f.must(r.Sessions.Add(ctx, s2))
		_, err = r.Sessions.Get(ctx, s1.ID())
		f.must(err)
		_, err = r.Sessions.Update(ctx, s1.ID(), func(s *session.Session) error {
			_, err := s.Redeem(s.Generation(), now, policy)
			return err
		})
		f.must(err)
		active, err := r.Sessions.ListActive(ctx, u.ID(), now)
		f.must(err)
		f.sameIDs("ListActive inside the transaction", active, s2, s1)
		n, err := r.Sessions.RevokeAll(ctx, u.ID(), s1.ID(), now, session.ReasonLogoutAll)
		f.must(err)
		if n != 1 {
			f.Errorf("RevokeAll inside the transaction revoked %d, want 1 (s2)", n)
		}
		f.must(r.Sessions.DeleteAllOf(ctx, leaving.ID()))
		if _, err := r.Sessions.Get(ctx, leavingSession.ID()); !errors.Is(err, session.ErrNotFound) {
			f.Errorf("inside the transaction, after DeleteAllOf: Get err = %v, want session.ErrNotFound", err)
		}
		return nil
	}))
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	if got.Role() != user.RoleAdmin {
		f.Fatalf("role after commit = %s, want admin", got.Role())
	}
	if f.getSession(s1.ID()).Generation() != 2 || f.getSession(s2.ID()).RevokeReason() != session.ReasonLogoutAll {
		f.Fatal("session writes of the transaction were not committed")
	}
	if _, err := f.Users.Get(f.ctx, doomed.ID()); !errors.Is(err, user.ErrNotFound) {
		f.Fatalf("deleted user: Get err = %v, want user.ErrNotFound", err)
	}
	if _, err := f.Sessions.Get(f.ctx, leavingSession.ID()); !errors.Is(err, session.ErrNotFound) {
		f.Fatalf("session deleted in the transaction: Get err = %v, want session.ErrNotFound", err)
	}
	_, err = f.Users.Get(f.ctx, leaving.ID())
	f.must(err)
}

// A write that fails with a domain error (an Update whose function fails, a
// taken email) does not poison the transaction: the use case may go on.
func txContinueAfterFailure(f *fixture) {
	existing := f.addUser("ada@example.com")
	u := f.newUser("grace@example.com")
	boom := errors.New("boom")
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Add(ctx, f.newUser("ADA@example.com")); !errors.Is(err, user.ErrEmailTaken) {
			f.Errorf("Add with a taken email: err = %v, want user.ErrEmailTaken", err)
		}
		_, err := r.Users.Update(ctx, existing.ID(), func(u *user.User) error {
			u.ChangeRole(user.RoleAdmin, t0.Add(time.Minute))
			return boom
		})
		if !errors.Is(err, boom) {
			f.Errorf("Update err = %v, want fn's error", err)
		}
		return r.Users.Add(ctx, u)
	}))
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	f.sameUser(got, u)
	got, err = f.Users.Get(f.ctx, existing.ID())
	f.must(err)
	f.sameUser(got, existing)
}

func txConcurrent(f *fixture) {
	const writers = 8
	users := make([]*user.User, writers)
	sessions := make([]*session.Session, writers)
	for i := range users {
		users[i] = f.newUser("user" + string(rune('a'+i)) + "@example.com")
		sessions[i] = f.newSession(users[i], t0)
	}
	errs := make(chan error, writers)
	for i, u := range users {
		go func() {
			errs <- f.within(func(ctx context.Context, r outbound.Repositories) error {
				if err := r.Users.Add(ctx, u); err != nil {
					return err
				}
				if err := r.Sessions.Add(ctx, sessions[i]); err != nil {
					return err
				}
				_, err := r.Sessions.ListActive(ctx, u.ID(), t0)
				return err
			})
		}()
	}
	for range writers {
		f.must(<-errs)
	}
	for _, u := range users {
		if _, err := f.Users.Get(f.ctx, u.ID()); err != nil {
			f.Fatalf("user of a committed transaction: %v", err)
		}
	}
}

// An Update of a user inside Within holds the user until the unit of work
// ends, even when its function changes nothing: units that start that way
// run one after the other, each seeing what the one before committed. Login
// relies on it to keep a user's sessions within the cap when logins race
// (lock the user, add the session, list the active ones, revoke those
// beyond the cap).
func txUserLock(f *fixture) {
	const logins, keep = 8, 3
	u := f.addUser("ada@example.com")
	sessions := make([]*session.Session, logins)
	for i := range sessions {
		sessions[i] = f.newSession(u, t0.Add(time.Duration(i)*time.Minute))
	}
	now := t0.Add(time.Hour / 2)
	login := func(ctx context.Context, r outbound.Repositories, s *session.Session) error {
		if _, err := r.Users.Update(ctx, u.ID(), func(*user.User) error { return nil }); err != nil {
			return err
		}
		if err := r.Sessions.Add(ctx, s); err != nil {
			return err
		}
		active, err := r.Sessions.ListActive(ctx, u.ID(), now)
		if err != nil {
			return err
		}
		// Hold the read-then-write open a little, so that without the
		// lock the units would overlap every time.
		time.Sleep(50 * time.Millisecond)
		for _, old := range session.BeyondCap(active, keep) {
			if _, err := r.Sessions.Update(ctx, old.ID(), func(s *session.Session) error {
				s.Revoke(now, session.ReasonEvicted)
				return nil
			}); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make(chan error, logins)
	start := make(chan struct{})
	for _, s := range sessions {
		go func() {
			<-start
			errs <- f.within(func(ctx context.Context, r outbound.Repositories) error { return login(ctx, r, s) })
		}()
	}
	close(start)
	for range logins {
		f.must(<-errs)
	}
	active, err := f.Sessions.ListActive(f.ctx, u.ID(), now)
	f.must(err)
	f.sameIDs("active after the race", active, sessions[7], sessions[6], sessions[5])
}
