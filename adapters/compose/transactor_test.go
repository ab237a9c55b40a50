package compose_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

var (
	t0     = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	policy = session.Policy{IdleTimeout: time.Hour, MaxLifetime: 10 * time.Hour, ReuseGrace: 10 * time.Second}
)

type fixture struct {
	main     *memory.Store
	sessions *memory.SessionStore
	tx       compose.Transactor
	ids      *memory.IDs
	user     *user.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	main := memory.NewStore()
	sessions := memory.NewSessionStore(main.Audit())
	f := &fixture{main: main, sessions: sessions, tx: compose.Transactor{Main: main.Transactor(), Sessions: sessions}, ids: &memory.IDs{}}
	email, _ := user.ParseEmail("ada@example.com")
	name, _ := user.ParseFullName("Ada")
	hash, _ := user.NewPasswordHash("$fake$1")
	u, err := user.Register(user.ID(f.ids.NewID()), email, name, hash, t0)
	if err != nil {
		t.Fatal(err)
	}
	if err := main.Users().Add(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	f.user = u
	return f
}

func (f *fixture) event(t audit.Type, s session.ID) audit.Event {
	return audit.Event{ID: audit.ID(f.ids.NewID()), Type: t, UserID: f.user.ID(), SessionID: s, At: t0}
}

// Concurrent refreshes of one session through the composed transactor
// settle on one rotation: units that read the session before the winner
// committed conflict, run again, and meet the grace rule. Every unit's
// event reaches the audit log exactly once.
func TestConcurrentUnitsOnOneSessionRotateOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, err := session.Start(session.ID(f.ids.NewID()), f.user.ID(), t0, policy, "ua", "ip")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.sessions.Sessions().Add(ctx, s); err != nil {
		t.Fatal(err)
	}
	const writers = 20
	var (
		mu       sync.Mutex
		outcomes = map[session.Outcome]int{}
		wg       sync.WaitGroup
	)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last session.Outcome
			err := f.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
				_, err := r.Sessions.Update(ctx, s.ID(), func(s *session.Session) error {
					out, err := s.Redeem(1, t0.Add(time.Minute), policy)
					last = out
					return err
				})
				if err != nil {
					return err
				}
				return r.Audit.Record(ctx, f.event(audit.Refreshed, s.ID()))
			})
			if err != nil {
				t.Errorf("unit failed: %v", err)
			}
			mu.Lock()
			outcomes[last]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if outcomes[session.Rotated] != 1 || outcomes[session.GraceHit] != writers-1 {
		t.Fatalf("outcomes %v: want 1 rotation and %d grace hits", outcomes, writers-1)
	}
	got, err := f.sessions.Sessions().Get(ctx, s.ID())
	if err != nil || got.Generation() != 2 {
		t.Fatalf("stored generation %v, %v; want 2", got, err)
	}
	events, err := f.main.Audit().List(ctx, outbound.AuditQuery{Limit: 100})
	if err != nil || len(events) != writers {
		t.Fatalf("%d events reached the audit log (%v), want %d: one per unit, once", len(events), err, writers)
	}
}

// A unit that changes a user applies its session writes first and commits
// its events with the user change, in the main store.
func TestUnitChangingAUserCommitsEventsInTheMainStore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, _ := session.Start(session.ID(f.ids.NewID()), f.user.ID(), t0, policy, "ua", "ip")
	if err := f.sessions.Sessions().Add(ctx, s); err != nil {
		t.Fatal(err)
	}
	err := f.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if _, err := r.Users.Update(ctx, f.user.ID(), func(u *user.User) error {
			u.SetDisabled(true, t0)
			return nil
		}); err != nil {
			return err
		}
		if _, err := r.Sessions.RevokeAll(ctx, f.user.ID(), session.ID{}, t0, session.ReasonUserDisabled); err != nil {
			return err
		}
		return r.Audit.Record(ctx, f.event(audit.UserDisabled, session.ID{}))
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.sessions.Sessions().Get(ctx, s.ID())
	u, _ := f.main.Users().Get(ctx, f.user.ID())
	events, _ := f.main.Audit().List(ctx, outbound.AuditQuery{Limit: 10})
	if stored.RevokedAt() == nil || !u.Disabled() || len(events) != 1 || events[0].Type != audit.UserDisabled {
		t.Fatalf("revoked %v, disabled %v, events %v", stored.RevokedAt() != nil, u.Disabled(), events)
	}
}

// A unit whose function fails leaves both stores as they were and records
// nothing.
func TestFailedUnitChangesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s, _ := session.Start(session.ID(f.ids.NewID()), f.user.ID(), t0, policy, "ua", "ip")
	boom := errors.New("boom")
	err := f.tx.Within(ctx, func(ctx context.Context, r outbound.Repositories) error {
		if err := r.Sessions.Add(ctx, s); err != nil {
			return err
		}
		if err := r.Audit.Record(ctx, f.event(audit.LoginSucceeded, s.ID())); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the function's", err)
	}
	if _, err := f.sessions.Sessions().Get(ctx, s.ID()); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("the failed unit's session exists: %v", err)
	}
	if events, _ := f.main.Audit().List(ctx, outbound.AuditQuery{Limit: 10}); len(events) != 0 {
		t.Fatalf("the failed unit recorded %v", events)
	}
}
