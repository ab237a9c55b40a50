package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/user"
)

// RunUserRepository checks outbound.UserRepository.
func RunUserRepository(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"AddThenGetKeepsEveryField", userRoundTrip},
		{"FindByEmailIgnoresCase", userFindByEmail},
		{"LookupsOfMissingUsersAreNotFound", userNotFound},
		{"AddWithTakenEmailFails", userEmailTaken},
		{"AddWithTakenIDFails", userIDTaken},
		{"UpdatePersistsAndReturnsSavedState", userUpdate},
		{"UpdateWhoseFunctionFailsPersistsNothing", userUpdateFnError},
		{"DeleteRemovesOnlyThatUser", userDelete},
		{"ConcurrentAddsOfOneEmailHaveOneWinner", userEmailRace},
		{"ListPagesInIDOrder", userListPages},
		{"ListMatchesTheEmailPrefixLiterally", userListPrefix},
	})
}

func userRoundTrip(f *fixture) {
	u := f.addUser("ada@example.com")
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	// Times compare to the microsecond: a store keeping milliseconds fails.
	f.sameUser(got, u)
}

func userFindByEmail(f *fixture) {
	u := f.addUser("Ada.Lovelace@Example.COM")
	f.addUser("someone.else@example.com")
	lookup, err := user.ParseEmail("  ADA.lovelace@example.com ")
	f.must(err)
	got, err := f.Users.FindByEmail(f.ctx, lookup)
	f.must(err)
	f.sameUser(got, u)
}

func userNotFound(f *fixture) {
	f.addUser("ada@example.com")
	missing := user.ID(f.id())
	other, err := user.ParseEmail("nobody@example.com")
	f.must(err)
	checks := map[string]error{}
	_, checks["Get unknown id"] = f.Users.Get(f.ctx, missing)
	_, checks["Get zero id"] = f.Users.Get(f.ctx, user.ID{})
	_, checks["FindByEmail unknown"] = f.Users.FindByEmail(f.ctx, other)
	_, checks["Update unknown"] = f.Users.Update(f.ctx, missing, func(*user.User) error {
		f.Error("Update called fn for a missing user")
		return nil
	})
	checks["Delete unknown"] = f.Users.Delete(f.ctx, missing)
	for what, err := range checks {
		if !errors.Is(err, user.ErrNotFound) {
			f.Errorf("%s: err = %v, want user.ErrNotFound", what, err)
		}
	}
}

func userEmailTaken(f *fixture) {
	f.addUser("ada@example.com")
	dup := f.newUser("ADA@example.com")
	if err := f.Users.Add(f.ctx, dup); !errors.Is(err, user.ErrEmailTaken) {
		f.Fatalf("Add with a taken email: err = %v, want user.ErrEmailTaken", err)
	}
	if _, err := f.Users.Get(f.ctx, dup.ID()); !errors.Is(err, user.ErrNotFound) {
		f.Fatalf("the rejected user was stored (Get err = %v)", err)
	}
}

// A taken id is a broken invariant (ids are fresh UUIDv7), not bad input:
// the Add fails, with some internal error rather than a validation error,
// and the stored user stays as it was.
func userIDTaken(f *fixture) {
	u := f.addUser("ada@example.com")
	addr, err := user.ParseEmail("grace@example.com")
	f.must(err)
	dup, err := user.Create(u.ID(), addr, u.FullName(), user.RoleAdmin, u.PasswordHash(), t0.Add(time.Hour))
	f.must(err)
	err = f.Users.Add(f.ctx, dup)
	if err == nil {
		f.Fatal("Add with a taken id succeeded")
	}
	if isInvalid(err) {
		f.Fatalf("Add with a taken id: err = %v, a *validation.Error; want an internal error", err)
	}
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	f.sameUser(got, u)
	if _, err := f.Users.FindByEmail(f.ctx, addr); !errors.Is(err, user.ErrNotFound) {
		f.Fatalf("the rejected user's email was stored (FindByEmail err = %v)", err)
	}
}

func userUpdate(f *fixture) {
	u := f.addUser("ada@example.com")
	later := t0.Add(time.Hour)
	name, err := user.ParseFullName("Augusta Ada King")
	f.must(err)
	hash, err := user.NewPasswordHash("$argon2id$v=19$m=65536,t=3,p=2$bmV3c2FsdA$bmV3aGFzaA")
	f.must(err)
	saved, err := f.Users.Update(f.ctx, u.ID(), func(u *user.User) error {
		u.Rename(name, later)
		u.ChangeRole(user.RoleAdmin, later)
		u.ChangePasswordHash(hash, later)
		u.SetDisabled(true, later)
		return nil
	})
	f.must(err)
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	f.sameUser(saved, got)
	v := viewUser(got)
	if v.FullName != "Augusta Ada King" || v.Role != "admin" || v.PasswordHash != hash.PHC() || !v.Disabled {
		f.Fatalf("update not persisted: %+v", v)
	}
	if !v.UpdatedAt.Equal(toMicros(later)) || !v.CreatedAt.Equal(toMicros(t0)) {
		f.Fatalf("times: created %v updated %v, want %v and %v (the domain's, not the database's)",
			v.CreatedAt, v.UpdatedAt, toMicros(t0), toMicros(later))
	}
}

func userUpdateFnError(f *fixture) {
	u := f.addUser("ada@example.com")
	boom := errors.New("boom")
	_, err := f.Users.Update(f.ctx, u.ID(), func(u *user.User) error {
		u.ChangeRole(user.RoleAdmin, t0.Add(time.Hour))
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Update err = %v, want fn's error", err)
	}
	got, err := f.Users.Get(f.ctx, u.ID())
	f.must(err)
	f.sameUser(got, u)
}

// Delete removes the user and nothing else of the user repository's.
// (Whatever else the user had, its sessions among them, the use case
// removes itself: they may live in another store.)
func userDelete(f *fixture) {
	u := f.addUser("ada@example.com")
	other := f.addUser("grace@example.com")
	f.must(f.Users.Delete(f.ctx, u.ID()))
	if _, err := f.Users.Get(f.ctx, u.ID()); !errors.Is(err, user.ErrNotFound) {
		f.Fatalf("Get after Delete: err = %v, want user.ErrNotFound", err)
	}
	if _, err := f.Users.FindByEmail(f.ctx, u.Email()); !errors.Is(err, user.ErrNotFound) {
		f.Fatalf("FindByEmail after Delete: err = %v, want user.ErrNotFound", err)
	}
	got, err := f.Users.Get(f.ctx, other.ID())
	f.must(err)
	f.sameUser(got, other)
	// The email is free again.
	f.addUser("ada@example.com")
}

func userEmailRace(f *fixture) {
	const writers = 10
	users := make([]*user.User, writers)
	for i := range users {
		users[i] = f.newUser("race@example.com")
	}
	errs := make(chan error, writers)
	start := make(chan struct{})
	for _, u := range users {
		go func() {
			<-start
			errs <- f.Users.Add(f.ctx, u)
		}()
	}
	close(start)
	won := 0
	for range writers {
		switch err := <-errs; {
		case err == nil:
			won++
		case !errors.Is(err, user.ErrEmailTaken):
			f.Errorf("a losing Add failed with %v, want user.ErrEmailTaken", err)
		}
	}
	if won != 1 {
		f.Fatalf("%d Adds of one email succeeded, want exactly 1", won)
	}
}
