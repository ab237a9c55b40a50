package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

// RunPrincipalLookup checks outbound.PrincipalLookup.
func RunPrincipalLookup(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"ReturnsTheSessionAndItsUser", principalFound},
		{"ReturnsTheUserAsItIsNow", principalFreshUser},
		{"ReturnsRevokedSessionsForTheCallerToJudge", principalRevoked},
		{"UnknownSessionIsNotFound", principalNotFound},
		{"SessionOfADeletedUserIsNotFound", principalUserDeleted},
	})
}

func principalFound(f *fixture) {
	u := f.addUser("ada@example.com")
	f.addUser("grace@example.com")
	s := f.redeem(f.addSession(u, t0), t0.Add(time.Minute))
	p, err := f.Principals.LoadPrincipal(f.ctx, s.ID())
	f.must(err)
	f.sameSession(p.Session, s)
	f.sameUser(p.User, u)
}

func principalFreshUser(f *fixture) {
	u := f.addUser("ada@example.com")
	s := f.addSession(u, t0)
	demoted, err := f.Users.Update(f.ctx, u.ID(), func(u *user.User) error {
		u.ChangeRole(user.RoleAdmin, t0.Add(time.Minute))
		u.SetDisabled(true, t0.Add(time.Minute))
		return nil
	})
	f.must(err)
	p, err := f.Principals.LoadPrincipal(f.ctx, s.ID())
	f.must(err)
	f.sameUser(p.User, demoted)
}

func principalRevoked(f *fixture) {
	u := f.addUser("ada@example.com")
	s := f.revoke(f.addSession(u, t0), t0.Add(time.Minute), session.ReasonAdmin)
	p, err := f.Principals.LoadPrincipal(f.ctx, s.ID())
	f.must(err)
	f.sameSession(p.Session, s)
}

func principalNotFound(f *fixture) {
	f.addSession(f.addUser("ada@example.com"), t0)
	for _, id := range []session.ID{session.ID(f.id()), {}} {
		if _, err := f.Principals.LoadPrincipal(f.ctx, id); !errors.Is(err, session.ErrNotFound) {
			f.Errorf("LoadPrincipal(%s): err = %v, want session.ErrNotFound", id, err)
		}
	}
}

// A session whose user is gone is unusable, whatever its own state. Only
// the user is deleted here: where a foreign key takes the session with it,
// and where the session stays behind (another store), the answer is the
// same.
func principalUserDeleted(f *fixture) {
	u := f.addUser("ada@example.com")
	s := f.addSession(u, t0)
	kept := f.addSession(f.addUser("grace@example.com"), t0)
	f.must(f.Users.Delete(f.ctx, u.ID()))
	if _, err := f.Principals.LoadPrincipal(f.ctx, s.ID()); !errors.Is(err, session.ErrNotFound) {
		f.Fatalf("LoadPrincipal after the user was deleted: err = %v, want session.ErrNotFound", err)
	}
	p, err := f.Principals.LoadPrincipal(f.ctx, kept.ID())
	f.must(err)
	f.sameSession(p.Session, kept)
}
