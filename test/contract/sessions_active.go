package contract

import (
	"errors"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

func sessionListActive(f *fixture) {
	u := f.owner("ada@example.com")
	other := f.owner("grace@example.com")
	now := t0.Add(5 * time.Hour)
	a := f.addSession(u, now.Add(-50*time.Minute))
	b := f.addSession(u, now.Add(-40*time.Minute))
	c := f.addSession(u, now.Add(-40*time.Minute)) // same age as b: the larger id comes first
	f.revoke(f.addSession(u, now.Add(-30*time.Minute)), now.Add(-10*time.Minute), session.ReasonLogout)
	f.addSession(u, now.Add(-2*time.Hour))        // idle timeout passed
	f.addSession(u, now.Add(-policy.IdleTimeout)) // idle deadline is exactly now: over
	f.addSession(other, now.Add(-20*time.Minute)) // someone else's

	// Past its absolute deadline though not its idle one: the domain never
	// builds this, but storage must check both deadlines itself.
	sn := f.newSession(u, now.Add(-11*time.Hour)).Snapshot()
	sn.IdleExpiresAt = now.Add(time.Hour)
	expired, err := session.Rehydrate(sn)
	f.must(err)
	f.must(f.Sessions.Add(f.ctx, expired))

	got, err := f.Sessions.ListActive(f.ctx, u.ID(), now)
	f.must(err)
	f.sameIDs("ListActive", got, c, b, a)
	f.sameSession(got[2], a)

	none, err := f.Sessions.ListActive(f.ctx, u.ID(), now.Add(10*time.Hour))
	f.must(err)
	f.sameIDs("ListActive after every deadline", none)
}

// SQLite keeps times as text; comparing and ordering them in SQL must still
// follow the instants, down to the microsecond and whatever the zone of the
// time passed in.
func sessionListActiveTimes(f *fixture) {
	u := f.owner("ada@example.com")
	base := time.Date(2031, time.March, 4, 5, 6, 7, 0, time.UTC)
	d := f.addSession(u, base.Add(time.Second))
	b := f.addSession(u, base.Add(450*time.Millisecond))
	a := f.addSession(u, base)
	e := f.addSession(u, base.Add(time.Second+time.Microsecond))
	c := f.addSession(u, base.Add(500*time.Millisecond))
	list := func(now time.Time) []*session.Session {
		f.Helper()
		got, err := f.Sessions.ListActive(f.ctx, u.ID(), now)
		f.must(err)
		return got
	}
	f.sameIDs("ListActive", list(base.Add(2*time.Second)), e, d, c, b, a)
	idleEnd := base.Add(policy.IdleTimeout) // a's idle deadline
	f.sameIDs("ListActive 1µs before a's deadline", list(idleEnd.Add(-time.Microsecond)), e, d, c, b, a)
	f.sameIDs("ListActive at a's deadline", list(idleEnd), e, d, c, b)
	f.sameIDs("ListActive at a's deadline, in UTC-7", list(idleEnd.In(time.FixedZone("UTC-7", -7*3600))), e, d, c, b)
	f.sameIDs("ListActive at e's deadline", list(idleEnd.Add(time.Second+time.Microsecond)))
}

func sessionRevokeAll(f *fixture) {
	u := f.owner("ada@example.com")
	other := f.owner("grace@example.com")
	a, b, c := f.addSession(u, t0), f.addSession(u, t0), f.addSession(u, t0)
	earlier := f.revoke(f.addSession(u, t0), t0.Add(time.Minute), session.ReasonLogout)
	stale := f.addSession(u, t0.Add(-2*time.Hour)) // idle-expired: not active, not revoked
	theirs := f.addSession(other, t0)
	now := t0.Add(10 * time.Minute)

	n, err := f.Sessions.RevokeAll(f.ctx, u.ID(), b.ID(), now, session.ReasonLogoutAll)
	f.must(err)
	if n != 2 {
		f.Fatalf("RevokeAll revoked %d, want 2", n)
	}
	for _, s := range []*session.Session{a, c} {
		v := viewSession(f.getSession(s.ID()))
		if !v.Revoked || !v.RevokedAt.Equal(toMicros(now)) || v.RevokeReason != string(session.ReasonLogoutAll) {
			f.Fatalf("session %s: %+v, want revoked at %v for %s", s.ID(), v, now, session.ReasonLogoutAll)
		}
	}
	f.sameSession(f.getSession(earlier.ID()), earlier) // first revocation wins
	f.sameSession(f.getSession(stale.ID()), stale)
	f.sameSession(f.getSession(theirs.ID()), theirs)
	f.sameSession(f.getSession(b.ID()), b)

	n, err = f.Sessions.RevokeAll(f.ctx, u.ID(), session.ID{}, now, session.ReasonPasswordChange)
	f.must(err)
	if n != 1 || f.getSession(b.ID()).RevokeReason() != session.ReasonPasswordChange {
		f.Fatalf("RevokeAll without exception revoked %d, want 1 (b)", n)
	}
}

// DeleteAllOf removes every session of the user, live or not, and none of
// anyone else's.
func sessionDeleteAllOf(f *fixture) {
	u := f.owner("ada@example.com")
	other := f.owner("grace@example.com")
	now := t0.Add(5 * time.Hour)
	live := f.addSession(u, now.Add(-time.Minute))
	rotated := f.redeem(f.addSession(u, now.Add(-20*time.Minute)), now.Add(-10*time.Minute))
	revoked := f.revoke(f.addSession(u, now.Add(-30*time.Minute)), now.Add(-5*time.Minute), session.ReasonLogout)
	expired := f.addSession(u, now.Add(-2*time.Hour)) // idle timeout passed
	theirs := f.addSession(other, now.Add(-time.Minute))
	theirsRevoked := f.revoke(f.addSession(other, now.Add(-time.Minute)), now, session.ReasonAdmin)

	f.must(f.Sessions.DeleteAllOf(f.ctx, u.ID()))
	for what, s := range map[string]*session.Session{"live": live, "rotated": rotated, "revoked": revoked, "expired": expired} {
		if _, err := f.Sessions.Get(f.ctx, s.ID()); !errors.Is(err, session.ErrNotFound) {
			f.Errorf("%s session after DeleteAllOf: Get err = %v, want session.ErrNotFound", what, err)
		}
		_, err := f.Sessions.Update(f.ctx, s.ID(), func(*session.Session) error {
			f.Errorf("%s session after DeleteAllOf: Update called fn", what)
			return nil
		})
		if !errors.Is(err, session.ErrNotFound) {
			f.Errorf("%s session after DeleteAllOf: Update err = %v, want session.ErrNotFound", what, err)
		}
	}
	active, err := f.Sessions.ListActive(f.ctx, u.ID(), now)
	f.must(err)
	f.sameIDs("ListActive after DeleteAllOf", active)
	f.sameSession(f.getSession(theirs.ID()), theirs)
	f.sameSession(f.getSession(theirsRevoked.ID()), theirsRevoked)
	active, err = f.Sessions.ListActive(f.ctx, other.ID(), now)
	f.must(err)
	f.sameIDs("ListActive of another user after DeleteAllOf", active, theirs)

	// The user can log in again afterwards.
	again := f.addSession(u, now)
	f.sameSession(f.getSession(again.ID()), again)
}

// Deleting the sessions of a user who has none, or has none any more, is
// not an error and touches no one else's.
func sessionDeleteAllOfNone(f *fixture) {
	u := f.owner("ada@example.com")
	other := f.owner("grace@example.com")
	theirs := f.addSession(other, t0)
	f.must(f.Sessions.DeleteAllOf(f.ctx, u.ID()))
	// A user id no store has ever seen: the session repository knows users
	// only by the ids its sessions carry.
	f.must(f.Sessions.DeleteAllOf(f.ctx, user.ID(f.id())))
	f.sameSession(f.getSession(theirs.ID()), theirs)

	mine := f.addSession(u, t0)
	f.must(f.Sessions.DeleteAllOf(f.ctx, u.ID()))
	f.must(f.Sessions.DeleteAllOf(f.ctx, u.ID())) // again: none left
	if _, err := f.Sessions.Get(f.ctx, mine.ID()); !errors.Is(err, session.ErrNotFound) {
		f.Fatalf("session after DeleteAllOf: Get err = %v, want session.ErrNotFound", err)
	}
	f.sameSession(f.getSession(theirs.ID()), theirs)
}
