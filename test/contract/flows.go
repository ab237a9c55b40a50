package contract

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// RunSignInFlows checks outbound.FlowStateRepository and
// outbound.LoginCodeRepository, and that both sweep what has expired. It
// needs Users, FlowStates, LoginCodes and Transactor.
func RunSignInFlows(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"AFlowIsTakenOnceWithEveryField", flowRoundTrip},
		{"ConcurrentTakesOfAFlowHaveOneWinner", flowRace},
		{"ExpiredFlowsAreSweptInBatchesEarliestFirst", flowSweep},
		{"DeletingAUserRemovesItsLinkFlowsAndCodes", flowUserDeleted},
		{"ALoginCodeIsTakenOnce", codeRoundTrip},
		{"ConcurrentTakesOfACodeHaveOneWinner", codeRace},
		{"ExpiredCodesAreSweptInBatches", codeSweep},
		{"ALoginCodeCommitsAndRollsBackWithItsUnit", codeInUnit},
	})
}

func (f *fixture) newFlow(state string, link user.ID, at time.Time) *identity.FlowState {
	f.Helper()
	fl, err := identity.StartFlow(identity.FlowStart{
		State: state, Binding: "binding-" + state, Provider: "google", Nonce: "nonce-" + state,
		Verifier: "verifier-" + state, RedirectTo: "https://app.example.com/cb?x=1", LinkUser: link,
	}, at)
	f.must(err)
	return fl
}

func (f *fixture) sameFlow(got, want *identity.FlowState) {
	f.Helper()
	g, w := got.Snapshot(), want.Snapshot()
	for _, t := range []*time.Time{&g.CreatedAt, &g.ExpiresAt, &w.CreatedAt, &w.ExpiresAt} {
		*t = t.UTC().Truncate(time.Microsecond)
	}
	if g != w {
		f.Fatalf("flow = %+v, want %+v", g, w)
	}
}

func flowRoundTrip(f *fixture) {
	u := f.addUser("ada@example.com")
	signIn, link := f.newFlow("s1", user.ID{}, t0), f.newFlow("s2", u.ID(), t0)
	f.must(f.FlowStates.Add(f.ctx, signIn))
	f.must(f.FlowStates.Add(f.ctx, link))
	got, err := f.FlowStates.Take(f.ctx, identity.HashSecret("s2"))
	f.must(err)
	f.sameFlow(got, link)
	if _, err := f.FlowStates.Take(f.ctx, identity.HashSecret("s2")); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("second Take: err = %v, want ErrNotFound", err)
	}
	got, err = f.FlowStates.Take(f.ctx, identity.HashSecret("s1"))
	f.must(err)
	f.sameFlow(got, signIn)
	if _, err := f.FlowStates.Take(f.ctx, identity.HashSecret("never")); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("unknown state: err = %v, want ErrNotFound", err)
	}
}

func flowRace(f *fixture) {
	f.must(f.FlowStates.Add(f.ctx, f.newFlow("s1", user.ID{}, t0)))
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for k := range n {
		wg.Go(func() { _, errs[k] = f.FlowStates.Take(f.ctx, identity.HashSecret("s1")) })
	}
	wg.Wait()
	f.oneWinner(errs)
}

// oneWinner checks that exactly one of concurrent takes succeeded and the
// others found nothing.
func (f *fixture) oneWinner(errs []error) {
	f.Helper()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, identity.ErrNotFound):
			f.Errorf("a losing Take failed with %v, want ErrNotFound", err)
		}
	}
	if won != 1 {
		f.Fatalf("%d concurrent Takes succeeded, want 1", won)
	}
}

func flowSweep(f *fixture) {
	// Five flows started a minute apart expire a minute apart.
	for k := range 5 {
		f.must(f.FlowStates.Add(f.ctx, f.newFlow(fmt.Sprint("s", k), user.ID{}, t0.Add(time.Duration(k)*time.Minute))))
	}
	// Just after the third expired: s0, s1 and s2 are due.
	now := t0.Add(identity.StateLifetime + 2*time.Minute + time.Second)
	n, err := f.FlowStates.DeleteExpired(f.ctx, now, 2)
	f.must(err)
	if n != 2 {
		f.Fatalf("first batch deleted %d, want 2", n)
	}
	for _, gone := range []string{"s0", "s1"} { // the earliest first
		if _, err := f.FlowStates.Take(f.ctx, identity.HashSecret(gone)); !errors.Is(err, identity.ErrNotFound) {
			f.Errorf("%s survived the first batch", gone)
		}
	}
	n, err = f.FlowStates.DeleteExpired(f.ctx, now, 2)
	f.must(err)
	if n != 1 {
		f.Fatalf("second batch deleted %d, want 1 (fewer than the limit: nothing left)", n)
	}
	for _, kept := range []string{"s3", "s4"} {
		if _, err := f.FlowStates.Take(f.ctx, identity.HashSecret(kept)); err != nil {
			f.Errorf("%s, not yet expired, was swept: %v", kept, err)
		}
	}
}

func (f *fixture) newCode(code string, u *user.User, at time.Time) identity.LoginCode {
	f.Helper()
	c, err := identity.IssueLoginCode(code, u.ID(), "google", at)
	f.must(err)
	return c
}

func flowUserDeleted(f *fixture) {
	ada, bob := f.addUser("ada@example.com"), f.addUser("bob@example.com")
	f.must(f.FlowStates.Add(f.ctx, f.newFlow("ada-link", ada.ID(), t0)))
	f.must(f.FlowStates.Add(f.ctx, f.newFlow("bob-link", bob.ID(), t0)))
	f.must(f.LoginCodes.Add(f.ctx, f.newCode("ada-code", ada, t0)))
	f.must(f.LoginCodes.Add(f.ctx, f.newCode("bob-code", bob, t0)))
	f.must(f.Users.Delete(f.ctx, ada.ID()))
	if _, err := f.FlowStates.Take(f.ctx, identity.HashSecret("ada-link")); !errors.Is(err, identity.ErrNotFound) {
		f.Errorf("a deleted user's link flow survived (err = %v)", err)
	}
	if _, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("ada-code")); !errors.Is(err, identity.ErrNotFound) {
		f.Errorf("a deleted user's login code survived (err = %v)", err)
	}
	if _, err := f.FlowStates.Take(f.ctx, identity.HashSecret("bob-link")); err != nil {
		f.Errorf("another user's flow went too: %v", err)
	}
	if _, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("bob-code")); err != nil {
		f.Errorf("another user's code went too: %v", err)
	}
}

func codeRoundTrip(f *fixture) {
	u := f.addUser("ada@example.com")
	c := f.newCode("the-code", u, t0)
	f.must(f.LoginCodes.Add(f.ctx, c))
	got, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("the-code"))
	f.must(err)
	want := c
	want.CreatedAt, want.ExpiresAt = want.CreatedAt.Truncate(time.Microsecond), want.ExpiresAt.Truncate(time.Microsecond)
	got.CreatedAt, got.ExpiresAt = got.CreatedAt.UTC(), got.ExpiresAt.UTC()
	if got != want {
		f.Fatalf("code = %+v, want %+v", got, want)
	}
	if _, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("the-code")); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("second Take: err = %v, want ErrNotFound", err)
	}
}

func codeRace(f *fixture) {
	u := f.addUser("ada@example.com")
	f.must(f.LoginCodes.Add(f.ctx, f.newCode("the-code", u, t0)))
	const n = 8
	var wg sync.WaitGroup
	errs := make([]error, n)
	for k := range n {
		wg.Go(func() { _, errs[k] = f.LoginCodes.Take(f.ctx, identity.HashSecret("the-code")) })
	}
	wg.Wait()
	f.oneWinner(errs)
}

func codeSweep(f *fixture) {
	u := f.addUser("ada@example.com")
	for k := range 3 {
		f.must(f.LoginCodes.Add(f.ctx, f.newCode(fmt.Sprint("c", k), u, t0.Add(time.Duration(k)*time.Minute))))
	}
	now := t0.Add(identity.LoginCodeLifetime + time.Minute + time.Second) // c0 and c1 expired
	n, err := f.LoginCodes.DeleteExpired(f.ctx, now, 10)
	f.must(err)
	if n != 2 {
		f.Fatalf("deleted %d, want 2", n)
	}
	if _, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("c2")); err != nil {
		f.Fatalf("the live code was swept: %v", err)
	}
	if n, err := f.LoginCodes.DeleteExpired(f.ctx, now, 10); err != nil || n != 0 {
		f.Fatalf("nothing left: deleted %d, %v", n, err)
	}
}

func codeInUnit(f *fixture) {
	u := f.addUser("ada@example.com")
	boom := errors.New("boom")
	err := f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.LoginCodes.Add(ctx, f.newCode("the-code", u, t0)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Within err = %v, want boom", err)
	}
	if _, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("the-code")); !errors.Is(err, identity.ErrNotFound) {
		f.Fatalf("a rolled-back code was stored (err = %v)", err)
	}
	f.must(f.LoginCodes.Add(f.ctx, f.newCode("the-code", u, t0)))
	// A take inside a failed unit gives the code back.
	err = f.within(func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.LoginCodes.Take(ctx, identity.HashSecret("the-code")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Within err = %v, want boom", err)
	}
	if _, err := f.LoginCodes.Take(f.ctx, identity.HashSecret("the-code")); err != nil {
		f.Fatalf("a take rolled back with its unit spent the code: %v", err)
	}
}
