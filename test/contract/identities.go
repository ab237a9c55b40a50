package contract

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// RunIdentityRepository checks outbound.IdentityRepository, alone and in
// a unit of work. It needs Users, Identities and Transactor.
func RunIdentityRepository(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"AddThenLookupsKeepEveryField", identityRoundTrip},
		{"ASubjectIsLinkedOnce", identityTaken},
		{"ConcurrentLinksOfOneSubjectHaveOneWinner", identityRace},
		{"ListByUserIsOldestFirstAndOnlyTheirs", identityList},
		{"DeleteRemovesOnlyThatIdentity", identityDelete},
		{"DeletingAUserRemovesItsIdentities", identityUserDeleted},
		{"AnIdentityCommitsAndRollsBackWithItsUnit", identityInUnit},
	})
}

// link builds an identity of u for (provider, subject) without storing it.
func (f *fixture) link(u *user.User, provider, subject string) *identity.Identity {
	f.Helper()
	i, err := identity.Link(identity.ID(f.id()), u.ID(), identity.Claims{
		Provider: provider, Subject: subject, Email: u.Email().String(), EmailVerified: true,
	}, t0)
	f.must(err)
	return i
}

func (f *fixture) addIdentity(u *user.User, provider, subject string) *identity.Identity {
	f.Helper()
	i := f.link(u, provider, subject)
	f.must(f.Identities.Add(f.ctx, i))
	return i
}

func (f *fixture) sameIdentity(got, want *identity.Identity) {
	f.Helper()
	g, w := got.Snapshot(), want.Snapshot()
	g.CreatedAt, w.CreatedAt = g.CreatedAt.UTC(), w.CreatedAt.UTC().Truncate(time.Microsecond)
	if g != w {
		f.Fatalf("identity = %+v, want %+v", g, w)
	}
}

func identityRoundTrip(f *fixture) {
	u := f.addUser("ada@example.com")
	i := f.addIdentity(u, "google", "1234567890")
	got, err := f.Identities.Get(f.ctx, i.ID())
	f.must(err)
	f.sameIdentity(got, i)
	got, err = f.Identities.FindBySubject(f.ctx, "google", "1234567890")
	f.must(err)
	f.sameIdentity(got, i)
	// The subject is compared exactly, and per provider.
	for _, miss := range [][2]string{{"google", "123456789"}, {"github", "1234567890"}, {"google", "1234567890 "}} {
		if _, err := f.Identities.FindBySubject(f.ctx, miss[0], miss[1]); !errors.Is(err, identity.ErrNotFound) {
			f.Errorf("FindBySubject(%q, %q): err = %v, want ErrNotFound", miss[0], miss[1], err)
		}
	}
	if _, err := f.Identities.Get(f.ctx, identity.ID(f.id())); !errors.Is(err, identity.ErrNotFound) {
		f.Errorf("Get unknown: err = %v, want ErrNotFound", err)
	}
}

func identityTaken(f *fixture) {
	ada, bob := f.addUser("ada@example.com"), f.addUser("bob@example.com")
	f.addIdentity(ada, "google", "s1")
	dup := f.link(bob, "google", "s1")
	if err := f.Identities.Add(f.ctx, dup); !errors.Is(err, identity.ErrIdentityTaken) {
		f.Fatalf("second link of a subject: err = %v, want ErrIdentityTaken", err)
	}
	if _, err := f.Identities.Get(f.ctx, dup.ID()); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("the refused identity was stored (err = %v)", err)
	}
	// The same subject at another provider is another person.
	f.addIdentity(bob, "github", "s1")
}

func identityRace(f *fixture) {
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	users := make([]*user.User, n)
	for k := range n {
		users[k] = f.addUser(string(rune('a'+k)) + "@example.com")
	}
	for k := range n {
		wg.Go(func() { errs[k] = f.Identities.Add(f.ctx, f.link(users[k], "google", "contested")) })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, identity.ErrIdentityTaken):
			f.Errorf("a losing Add failed with %v, want ErrIdentityTaken", err)
		}
	}
	if won != 1 {
		f.Fatalf("%d Adds of one subject succeeded, want 1", won)
	}
}

func identityList(f *fixture) {
	ada, bob := f.addUser("ada@example.com"), f.addUser("bob@example.com")
	first := f.addIdentity(ada, "google", "a1")
	f.addIdentity(bob, "google", "b1")
	second := f.addIdentity(ada, "github", "a2")
	got, err := f.Identities.ListByUser(f.ctx, ada.ID())
	f.must(err)
	if len(got) != 2 {
		f.Fatalf("%d identities, want 2", len(got))
	}
	f.sameIdentity(got[0], first)
	f.sameIdentity(got[1], second)
	none, err := f.Identities.ListByUser(f.ctx, user.ID(f.id()))
	f.must(err)
	if len(none) != 0 {
		f.Fatalf("an unknown user has %d identities", len(none))
	}
}

func identityDelete(f *fixture) {
	u := f.addUser("ada@example.com")
	gone, kept := f.addIdentity(u, "google", "a1"), f.addIdentity(u, "github", "a2")
	f.must(f.Identities.Delete(f.ctx, gone.ID()))
	if _, err := f.Identities.FindBySubject(f.ctx, "google", "a1"); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("deleted identity still found (err = %v)", err)
	}
	if _, err := f.Identities.Get(f.ctx, kept.ID()); err != nil {
		f.Fatalf("the other identity went too: %v", err)
	}
	if err := f.Identities.Delete(f.ctx, gone.ID()); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("second delete: err = %v, want ErrNotFound", err)
	}
	// The subject is free again.
	f.addIdentity(u, "google", "a1")
}

func identityUserDeleted(f *fixture) {
	ada, bob := f.addUser("ada@example.com"), f.addUser("bob@example.com")
	f.addIdentity(ada, "google", "a1")
	bobs := f.addIdentity(bob, "google", "b1")
	f.must(f.Users.Delete(f.ctx, ada.ID()))
	if _, err := f.Identities.FindBySubject(f.ctx, "google", "a1"); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("a deleted user's identity survived (err = %v)", err)
	}
	if _, err := f.Identities.Get(f.ctx, bobs.ID()); err != nil {
		f.Fatalf("another user's identity went too: %v", err)
	}
}

func identityInUnit(f *fixture) {
	u := f.newUser("ada@example.com")
	boom := errors.New("boom")
	err := f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Add(ctx, u); err != nil {
			return err
		}
		if err := r.Identities.Add(ctx, f.link(u, "google", "a1")); err != nil {
			return err
		}
		if _, err := r.Identities.FindBySubject(ctx, "google", "a1"); err != nil {
			return err // the unit sees its own write
		}
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Within err = %v, want boom", err)
	}
	if _, err := f.Identities.FindBySubject(f.ctx, "google", "a1"); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("a rolled-back identity was stored (err = %v)", err)
	}
	i := f.link(u, "google", "a1")
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Users.Add(ctx, u); err != nil {
			return err
		}
		return r.Identities.Add(ctx, i)
	}))
	got, err := f.Identities.FindBySubject(f.ctx, "google", "a1")
	f.must(err)
	f.sameIdentity(got, i)
}
