package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
)

// RunSessionRepository checks outbound.SessionRepository.
func RunSessionRepository(t *testing.T, newStores NewStores) {
	runAll(t, newStores, []test{
		{"AddThenGetKeepsEveryField", sessionRoundTrip},
		{"AddWithTakenIDFails", sessionIDTaken},
		{"LookupsOfMissingSessionsAreNotFound", sessionNotFound},
		{"UpdatePersistsRotationAndReturnsSavedState", sessionUpdate},
		{"UpdateWhoseFunctionFailsPersistsNothing", sessionUpdateFnError},
		{"ListActiveFiltersAndOrdersNewestFirst", sessionListActive},
		{"ListActiveComparesTimesToTheMicrosecond", sessionListActiveTimes},
		{"RevokeAllSparesTheExceptedSession", sessionRevokeAll},
		{"DeleteAllOfRemovesEverySessionOfTheUserOnly", sessionDeleteAllOf},
		{"DeleteAllOfAUserWithoutSessionsSucceeds", sessionDeleteAllOfNone},
		{"ConcurrentRefreshesHaveOneWinner", sessionRefreshRace},
	})
}

// redeem rotates a stored session at at.
func (f *fixture) redeem(s *session.Session, at time.Time) *session.Session {
	f.Helper()
	saved, err := f.Sessions.Update(f.ctx, s.ID(), func(s *session.Session) error {
		_, err := s.Redeem(s.Generation(), at, policy)
		return err
	})
	f.must(err)
	return saved
}

// revoke revokes a stored session at at.
func (f *fixture) revoke(s *session.Session, at time.Time, reason session.RevokeReason) *session.Session {
	f.Helper()
	saved, err := f.Sessions.Update(f.ctx, s.ID(), func(s *session.Session) error {
		s.Revoke(at, reason)
		return nil
	})
	f.must(err)
	return saved
}

func sessionRoundTrip(f *fixture) {
	u := f.owner("ada@example.com")
	live := f.addSession(u, t0)
	f.sameSession(f.getSession(live.ID()), live)

	// Every field set and distinct: rotated once, then revoked.
	s := f.newSession(u, t0)
	if _, err := s.Redeem(1, t0.Add(time.Minute), policy); err != nil {
		f.Fatal(err)
	}
	s.Revoke(t0.Add(2*time.Minute+time.Nanosecond), session.ReasonLogout)
	f.must(f.Sessions.Add(f.ctx, s))
	f.sameSession(f.getSession(s.ID()), s)
}

// A taken id is a broken invariant (ids are fresh UUIDv7), not bad input:
// the Add fails, with some internal error rather than a validation error,
// and the stored session stays as it was.
func sessionIDTaken(f *fixture) {
	u := f.owner("ada@example.com")
	s := f.addSession(u, t0)
	dup, err := session.Start(s.ID(), u.ID(), t0.Add(time.Hour), policy, "curl/8.5.0", "198.51.100.23")
	f.must(err)
	err = f.Sessions.Add(f.ctx, dup)
	if err == nil {
		f.Fatal("Add with a taken id succeeded")
	}
	if isInvalid(err) {
		f.Fatalf("Add with a taken id: err = %v, a *validation.Error; want an internal error", err)
	}
	f.sameSession(f.getSession(s.ID()), s)
}

func sessionNotFound(f *fixture) {
	u := f.owner("ada@example.com")
	f.addSession(u, t0)
	missing := session.ID(f.id())
	checks := map[string]error{}
	_, checks["Get unknown id"] = f.Sessions.Get(f.ctx, missing)
	_, checks["Get zero id"] = f.Sessions.Get(f.ctx, session.ID{})
	_, checks["Update unknown"] = f.Sessions.Update(f.ctx, missing, func(*session.Session) error {
		f.Error("Update called fn for a missing session")
		return nil
	})
	for what, err := range checks {
		if !errors.Is(err, session.ErrNotFound) {
			f.Errorf("%s: err = %v, want session.ErrNotFound", what, err)
		}
	}
}

func sessionUpdate(f *fixture) {
	u := f.owner("ada@example.com")
	s := f.addSession(u, t0)
	at := t0.Add(30 * time.Minute)
	saved := f.redeem(s, at)
	got := f.getSession(s.ID())
	f.sameSession(saved, got)
	v := viewSession(got)
	if v.Generation != 2 || !v.RotatedAt.Equal(toMicros(at)) || !v.IdleExpiresAt.Equal(toMicros(at.Add(policy.IdleTimeout))) {
		f.Fatalf("rotation not persisted: %+v", v)
	}
}

// A spent token outside the grace interval makes Redeem revoke the session
// and fail. Update must not save that revocation: persisting it is the
// caller's decision (commit, then fail).
func sessionUpdateFnError(f *fixture) {
	u := f.owner("ada@example.com")
	s := f.redeem(f.addSession(u, t0), t0.Add(time.Minute)) // generation 2
	_, err := f.Sessions.Update(f.ctx, s.ID(), func(s *session.Session) error {
		_, err := s.Redeem(1, t0.Add(time.Hour/2), policy)
		return err
	})
	if !errors.Is(err, session.ErrRefreshTokenReused) {
		f.Fatalf("Update err = %v, want fn's session.ErrRefreshTokenReused", err)
	}
	f.sameSession(f.getSession(s.ID()), s)
}

func sessionRefreshRace(f *fixture) {
	const writers = 20
	u := f.owner("ada@example.com")
	s := f.addSession(u, t0)
	presented := s.Generation() // what every racer read before refreshing
	at := t0.Add(time.Minute)
	outcomes := make(chan session.Outcome, writers)
	errs := make(chan error, writers)
	start := make(chan struct{})
	for range writers {
		go func() {
			<-start
			// A store that locks optimistically runs fn again after a
			// conflict: what counts is the outcome of the run it saved.
			var last session.Outcome
			_, err := f.Sessions.Update(f.ctx, s.ID(), func(s *session.Session) error {
				out, err := s.Redeem(presented, at, policy)
				last = out
				// Hold the read-modify-write open a little, so that
				// without a lock the racers would overlap every time.
				time.Sleep(10 * time.Millisecond)
				return err
			})
			outcomes <- last
			errs <- err
		}()
	}
	close(start)
	for range writers {
		if err := <-errs; err != nil {
			f.Errorf("a refresh failed: %v", err)
		}
	}
	close(outcomes)
	count := map[session.Outcome]int{}
	for o := range outcomes {
		count[o]++
	}
	if count[session.Rotated] != 1 || count[session.GraceHit] != writers-1 {
		f.Fatalf("outcomes: %d rotated, %d grace hits, %d reuse; want 1, %d, 0",
			count[session.Rotated], count[session.GraceHit], count[session.ReuseDetected], writers-1)
	}
	if g := f.getSession(s.ID()).Generation(); g != presented+1 {
		f.Fatalf("final generation %d, want %d", g, presented+1)
	}
}
