package contract

import (
	"time"

	"github.com/authd/authd/domain/session"
)

func sessionListActive(f *fixture) {
	u := f.addUser("ada@example.com")
	other := f.addUser("grace@example.com")
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
	u := f.addUser("ada@example.com")
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
	u := f.addUser("ada@example.com")
	other := f.addUser("grace@example.com")
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

	n, err = f.Sessions.RevokeAll(f.ctx, u.ID(), "", now, session.ReasonPasswordChange)
	f.must(err)
	if n != 1 || f.getSession(b.ID()).RevokeReason() != session.ReasonPasswordChange {
		f.Fatalf("RevokeAll without exception revoked %d, want 1 (b)", n)
	}
}

func sessionRevokeBeyondCap(f *fixture) {
	u := f.addUser("ada@example.com")
	other := f.addUser("grace@example.com")
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	a := f.redeem(f.addSession(u, m(0)), m(10)) // last used at 10
	b := f.addSession(u, m(1))                  // 1
	c := f.redeem(f.addSession(u, m(2)), m(5))  // 5
	d := f.addSession(u, m(3))                  // 3, created at 3
	e := f.redeem(f.addSession(u, m(2)), m(3))  // 3, created at 2: older than d
	f.revoke(f.addSession(u, m(9)), m(9), session.ReasonLogout)
	f.addSession(u, m(-120)) // idle-expired
	theirs := f.addSession(other, m(0))
	now := m(11)

	n, err := f.Sessions.RevokeBeyondCap(f.ctx, u.ID(), 3, now)
	f.must(err)
	if n != 2 {
		f.Fatalf("RevokeBeyondCap revoked %d, want 2", n)
	}
	active, err := f.Sessions.ListActive(f.ctx, u.ID(), now)
	f.must(err)
	f.sameIDs("kept", active, d, c, a)
	for _, s := range []*session.Session{b, e} {
		v := viewSession(f.getSession(s.ID()))
		if !v.Revoked || v.RevokeReason != string(session.ReasonEvicted) || !v.RevokedAt.Equal(toMicros(now)) {
			f.Fatalf("session %s: %+v, want evicted at %v", s.ID(), v, now)
		}
	}
	f.sameSession(f.getSession(theirs.ID()), theirs)

	n, err = f.Sessions.RevokeBeyondCap(f.ctx, u.ID(), 3, now)
	f.must(err)
	if n != 0 {
		f.Fatalf("RevokeBeyondCap under the cap revoked %d, want 0", n)
	}
}

// Logins racing past the cap (each adds its session, then enforces the cap)
// must end with exactly the cap's worth of sessions, the newest.
func sessionCapRace(f *fixture) {
	const logins, keep = 8, 3
	u := f.addUser("ada@example.com")
	sessions := make([]*session.Session, logins)
	for i := range sessions {
		sessions[i] = f.newSession(u, t0.Add(time.Duration(i)*time.Minute))
	}
	now := t0.Add(time.Hour / 2)
	errs := make(chan error, logins)
	start := make(chan struct{})
	for _, s := range sessions {
		go func() {
			<-start
			if err := f.Sessions.Add(f.ctx, s); err != nil {
				errs <- err
				return
			}
			_, err := f.Sessions.RevokeBeyondCap(f.ctx, u.ID(), keep, now)
			errs <- err
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
