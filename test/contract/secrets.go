package contract

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// RunSecrets checks outbound.SecretRepository, its sweeper, and that
// secrets and mail commit or roll back with the unit of work.
func RunSecrets(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"AddThenFindByTokenKeepsEveryField", secretRoundTrip},
		{"LookupsOfMissingSecretsAreNotFound", secretNotFound},
		{"LatestPendingIsTheNewestThatHasNotEnded", secretLatestPending},
		{"SupersedePendingEndsOnlyThatUserAndPurpose", secretSupersede},
		{"UpdateWhoseFunctionFailsPersistsNothing", secretUpdateFnError},
		{"ConcurrentUsesOfOneSecretHaveOneWinner", secretUseRace},
		{"SweeperDeletesFinishedSecretsInBatches", secretSweep},
		{"SecretAndMailCommitAndRollBackWithTheUnit", secretWithinUnit},
	})
}

// secretKey is the hasher key of the suite.
var secretKey = []byte(strings.Repeat("s", onetime.MinKeyBytes))

func (f *fixture) hasher() onetime.Hasher {
	h, err := onetime.NewHasher(secretKey)
	f.must(err)
	return h
}

// issue makes a secret of u without storing it, issued at at.
func (f *fixture) issue(u *user.User, purpose onetime.Purpose, at time.Time) onetime.Issued {
	f.Helper()
	is, err := onetime.Issue(f.hasher(), onetime.ID(f.id()), u.ID(), purpose, u.Email(), at, time.Hour)
	f.must(err)
	return is
}

// addSecret stores a new secret of u.
func (f *fixture) addSecret(u *user.User, purpose onetime.Purpose, at time.Time) onetime.Issued {
	f.Helper()
	is := f.issue(u, purpose, at)
	f.must(f.Secrets.Add(f.ctx, is.Secret))
	return is
}

func (f *fixture) findSecret(t onetime.Token) *onetime.Secret {
	f.Helper()
	s, err := f.Secrets.FindByToken(f.ctx, f.hasher().Token(t))
	f.must(err)
	return s
}

func (f *fixture) sameSecret(got, want *onetime.Secret) {
	f.Helper()
	if g, w := viewSecret(got), viewSecret(want); g != w {
		f.Fatalf("secret differs:\n got %+v\nwant %+v", g, w)
	}
}

type secretView struct {
	ID, UserID, Email, Purpose, EndReason string
	Token, Code                           onetime.Digest
	CreatedAt, ExpiresAt, EndedAt         time.Time
	Failures                              int
}

func viewSecret(s *onetime.Secret) secretView {
	sn := s.Snapshot()
	v := secretView{
		ID: sn.ID.String(), UserID: sn.UserID.String(), Email: sn.Email, Purpose: string(sn.Purpose),
		EndReason: string(sn.EndReason), Token: sn.TokenDigest, Code: sn.CodeDigest,
		CreatedAt: toMicros(sn.CreatedAt), ExpiresAt: toMicros(sn.ExpiresAt), Failures: sn.Failures,
	}
	if sn.EndedAt != nil {
		v.EndedAt = toMicros(*sn.EndedAt)
	}
	return v
}

func secretRoundTrip(f *fixture) {
	u := f.owner("ada@example.com")
	is := f.addSecret(u, onetime.ResetPassword, t0)
	f.sameSecret(f.findSecret(is.Token), is.Secret)

	// A changed secret (a failure counted, then ended) keeps every field too.
	h := f.hasher()
	wrong, _ := onetime.ParseCode("000000")
	if wrong == is.Code {
		wrong, _ = onetime.ParseCode("111111")
	}
	saved, err := f.Secrets.Update(f.ctx, is.Secret.ID(), func(s *onetime.Secret) error {
		_ = s.CheckCode(h, wrong, onetime.ResetPassword, t0.Add(time.Second))
		s.Supersede(t0.Add(2 * time.Second))
		return nil
	})
	f.must(err)
	if saved.Failures() != 1 || saved.EndReason() != onetime.Superseded {
		f.Fatalf("Update returned failures=%d reason=%q", saved.Failures(), saved.EndReason())
	}
	f.sameSecret(f.findSecret(is.Token), saved)
}

func secretNotFound(f *fixture) {
	u := f.owner("ada@example.com")
	is := f.issue(u, onetime.VerifyEmail, t0)
	checks := map[string]error{}
	_, checks["FindByToken unknown"] = f.Secrets.FindByToken(f.ctx, f.hasher().Token(is.Token))
	_, checks["LatestPending none"] = f.Secrets.LatestPending(f.ctx, u.ID(), onetime.VerifyEmail)
	_, checks["Update unknown"] = f.Secrets.Update(f.ctx, is.Secret.ID(), func(*onetime.Secret) error {
		f.Error("Update called fn for a missing secret")
		return nil
	})
	for what, err := range checks {
		if !errors.Is(err, onetime.ErrNotFound) {
			f.Errorf("%s: err = %v, want onetime.ErrNotFound", what, err)
		}
	}
}

func secretLatestPending(f *fixture) {
	ada, grace := f.owner("ada@example.com"), f.owner("grace@example.com")
	older := f.addSecret(ada, onetime.ResetPassword, t0)
	newer := f.addSecret(ada, onetime.ResetPassword, t0.Add(time.Minute))
	f.addSecret(ada, onetime.VerifyEmail, t0.Add(2*time.Minute))
	f.addSecret(grace, onetime.ResetPassword, t0.Add(3*time.Minute))

	got, err := f.Secrets.LatestPending(f.ctx, ada.ID(), onetime.ResetPassword)
	f.must(err)
	f.sameSecret(got, newer.Secret)

	// Once the newest has ended, the older pending one is the latest.
	_, err = f.Secrets.Update(f.ctx, newer.Secret.ID(), func(s *onetime.Secret) error {
		s.Supersede(t0.Add(4 * time.Minute))
		return nil
	})
	f.must(err)
	got, err = f.Secrets.LatestPending(f.ctx, ada.ID(), onetime.ResetPassword)
	f.must(err)
	f.sameSecret(got, older.Secret)
}

func secretSupersede(f *fixture) {
	ada, grace := f.owner("ada@example.com"), f.owner("grace@example.com")
	a1 := f.addSecret(ada, onetime.ResetPassword, t0)
	a2 := f.addSecret(ada, onetime.ResetPassword, t0.Add(time.Second))
	used := f.addSecret(ada, onetime.ResetPassword, t0.Add(2*time.Second))
	_, err := f.Secrets.Update(f.ctx, used.Secret.ID(), func(s *onetime.Secret) error {
		return s.UseToken(f.hasher(), used.Token, onetime.ResetPassword, t0.Add(3*time.Second))
	})
	f.must(err)
	otherPurpose := f.addSecret(ada, onetime.VerifyEmail, t0)
	otherUser := f.addSecret(grace, onetime.ResetPassword, t0)

	at := t0.Add(time.Minute)
	n, err := f.Secrets.SupersedePending(f.ctx, ada.ID(), onetime.ResetPassword, at)
	f.must(err)
	if n != 2 {
		f.Fatalf("SupersedePending ended %d secrets, want 2", n)
	}
	for _, is := range []onetime.Issued{a1, a2} {
		s := f.findSecret(is.Token)
		if s.EndReason() != onetime.Superseded || !toMicros(*s.EndedAt()).Equal(toMicros(at)) {
			f.Fatalf("secret %s: reason %q ended %v", s.ID(), s.EndReason(), s.EndedAt())
		}
	}
	if s := f.findSecret(used.Token); s.EndReason() != onetime.Used {
		f.Fatalf("a used secret became %q", s.EndReason())
	}
	for _, is := range []onetime.Issued{otherPurpose, otherUser} {
		if s := f.findSecret(is.Token); !s.Pending() {
			f.Fatalf("secret %s of another purpose or user ended", s.ID())
		}
	}
}

func secretUpdateFnError(f *fixture) {
	u := f.owner("ada@example.com")
	is := f.addSecret(u, onetime.ResetPassword, t0)
	boom := errors.New("boom")
	_, err := f.Secrets.Update(f.ctx, is.Secret.ID(), func(s *onetime.Secret) error {
		s.Supersede(t0)
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Update err = %v, want the function's error", err)
	}
	if !f.findSecret(is.Token).Pending() {
		f.Fatal("a failed Update was saved")
	}
}

func secretUseRace(f *fixture) {
	u := f.owner("ada@example.com")
	is := f.addSecret(u, onetime.ResetPassword, t0)
	h := f.hasher()
	const n = 8
	var wg sync.WaitGroup
	results := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, results[i] = f.Secrets.Update(f.ctx, is.Secret.ID(), func(s *onetime.Secret) error {
				return s.UseToken(h, is.Token, onetime.ResetPassword, t0.Add(time.Second))
			})
		})
	}
	wg.Wait()
	won := 0
	for _, err := range results {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, onetime.ErrInvalid):
			f.Fatalf("a concurrent use failed with %v", err)
		}
	}
	if won != 1 {
		f.Fatalf("%d concurrent uses of one secret succeeded, want 1", won)
	}
}

func secretSweep(f *fixture) {
	u := f.owner("ada@example.com")
	now := t0.Add(2 * time.Hour) // every secret issued at t0 has expired (1 h)
	var finished []onetime.Issued
	for range 5 {
		finished = append(finished, f.addSecret(u, onetime.VerifyEmail, t0))
	}
	spent := f.addSecret(u, onetime.ResetPassword, now.Add(-time.Minute))
	_, err := f.Secrets.Update(f.ctx, spent.Secret.ID(), func(s *onetime.Secret) error {
		return s.UseToken(f.hasher(), spent.Token, onetime.ResetPassword, now.Add(-time.Second))
	})
	f.must(err)
	live := f.addSecret(u, onetime.ChangeEmail, now.Add(-time.Minute))

	if f.SecretSweeper.Name() == "" {
		f.Fatal("the sweeper has no name")
	}
	total := 0
	for round := 0; ; round++ {
		n, err := f.SecretSweeper.Sweep(f.ctx, now, 4)
		f.must(err)
		if n > 4 || round > 3 {
			f.Fatalf("round %d deleted %d rows with a limit of 4", round, n)
		}
		total += n
		if n < 4 {
			break
		}
	}
	if total != 6 {
		f.Fatalf("sweeps deleted %d secrets, want the 6 expired or spent", total)
	}
	for _, is := range append(finished, spent) {
		if _, err := f.Secrets.FindByToken(f.ctx, f.hasher().Token(is.Token)); !errors.Is(err, onetime.ErrNotFound) {
			f.Fatalf("a finished secret survived the sweep: %v", err)
		}
	}
	if !f.findSecret(live.Token).Pending() {
		f.Fatal("the live secret was swept")
	}
}

func secretWithinUnit(f *fixture) {
	u := f.owner("ada@example.com")
	rolledBack := f.issue(u, onetime.ResetPassword, t0)
	boom := errors.New("boom")
	err := f.within(func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Secrets.Add(ctx, rolledBack.Secret); err != nil {
			return err
		}
		if err := r.Outbox.Enqueue(ctx, f.message(u.Email().String(), t0)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		f.Fatalf("Within err = %v", err)
	}
	if _, err := f.Secrets.FindByToken(f.ctx, f.hasher().Token(rolledBack.Token)); !errors.Is(err, onetime.ErrNotFound) {
		f.Fatalf("the rolled-back secret is stored: %v", err)
	}
	if got := f.claimAll(t0.Add(time.Minute)); len(got) != 0 {
		f.Fatalf("the rolled-back mail is queued: %d messages", len(got))
	}

	committed := f.issue(u, onetime.ResetPassword, t0)
	msg := f.message(u.Email().String(), t0)
	f.must(f.within(func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Secrets.SupersedePending(ctx, u.ID(), onetime.ResetPassword, t0); err != nil {
			return err
		}
		if err := r.Secrets.Add(ctx, committed.Secret); err != nil {
			return err
		}
		// The unit reads its own writes.
		if _, err := r.Secrets.LatestPending(ctx, u.ID(), onetime.ResetPassword); err != nil {
			return err
		}
		return r.Outbox.Enqueue(ctx, msg)
	}))
	f.sameSecret(f.findSecret(committed.Token), committed.Secret)
	if got := f.claimAll(t0.Add(time.Minute)); len(got) != 1 || got[0].ID != msg.ID {
		f.Fatalf("claimed %d messages after the commit, want the one enqueued", len(got))
	}
}
