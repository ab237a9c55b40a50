package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/outbound"
)

// SweepRetention is the retention the sweepers under test are built with:
// revoked sessions and audit events are kept this long.
const SweepRetention = 48 * time.Hour

// SweepStores are the stores of one database and its sweepers, built with
// SweepRetention.
type SweepStores struct {
	Stores
	Sessions outbound.Sweeper
	Audit    outbound.Sweeper
}

// NewSweepStores returns fresh stores and their sweepers, as NewStores does.
type NewSweepStores func(t *testing.T) SweepStores

// RunSweepers runs the suite of the session and audit sweepers: they delete
// what has served its purpose, in batches, and nothing else.
func RunSweepers(t *testing.T, newStores NewSweepStores) {
	tests := []struct {
		name string
		run  func(f *fixture, sw SweepStores)
	}{
		{"SessionsSweepDeletesEndedOnesOnly", sweepSessions},
		{"SessionsSweepWorksInBatches", sweepSessionsInBatches},
		{"AuditSweepDeletesOldEventsOnly", sweepAudit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var sw SweepStores
			f := newFixture(t, func(t *testing.T) Stores {
				sw = newStores(t)
				return sw.Stores
			})
			tc.run(f, sw)
		})
	}
}

// sweepSessions: an expired session and a session revoked longer than the
// retention go; a live session, a session revoked recently and one about
// to expire stay.
func sweepSessions(f *fixture, sw SweepStores) {
	u := f.owner("sweep@example.com")
	now := t0.Add(100 * time.Hour)
	live := f.addSession(u, now.Add(-time.Minute))
	aboutToExpire := f.addSession(u, now.Add(-policy.IdleTimeout+time.Second))
	expired := f.addSession(u, now.Add(-policy.IdleTimeout))
	revokedLongAgo := f.addSession(u, now.Add(-SweepRetention-time.Hour))
	f.revoke(revokedLongAgo, now.Add(-SweepRetention-time.Minute), session.ReasonLogout)
	revokedRecently := f.addSession(u, now.Add(-2*time.Minute))
	f.revoke(revokedRecently, now.Add(-time.Minute), session.ReasonLogout)

	if sw.Sessions.Name() != "sessions" {
		f.Errorf("Name = %q, want sessions", sw.Sessions.Name())
	}
	n, err := sw.Sessions.Sweep(f.ctx, now, 100)
	f.must(err)
	if n != 2 {
		f.Errorf("Sweep deleted %d sessions, want 2 (the expired one, the one revoked long ago)", n)
	}
	for _, gone := range []*session.Session{expired, revokedLongAgo} {
		if _, err := f.Sessions.Get(f.ctx, gone.ID()); !errors.Is(err, session.ErrNotFound) {
			f.Errorf("session %s: Get = %v, want it swept", gone.ID(), err)
		}
	}
	for _, kept := range []*session.Session{live, aboutToExpire, revokedRecently} {
		f.getSession(kept.ID())
	}
	if n, err := sw.Sessions.Sweep(f.ctx, now, 100); err != nil || n != 0 {
		f.Errorf("a second sweep deleted %d (%v), want 0", n, err)
	}
}

func sweepSessionsInBatches(f *fixture, sw SweepStores) {
	u := f.owner("batch@example.com")
	for range 5 {
		f.addSession(u, t0)
	}
	live := f.addSession(u, t0.Add(policy.IdleTimeout))
	now := t0.Add(policy.IdleTimeout)
	var batches []int
	for {
		n, err := sw.Sessions.Sweep(f.ctx, now, 2)
		f.must(err)
		batches = append(batches, n)
		if n < 2 {
			break
		}
	}
	if len(batches) != 3 || batches[0] != 2 || batches[1] != 2 || batches[2] != 1 {
		f.Errorf("batches of at most 2 deleted %v, want [2 2 1]", batches)
	}
	f.getSession(live.ID())
}

func sweepAudit(f *fixture, sw SweepStores) {
	now := t0.Add(100 * time.Hour)
	old := []audit.Event{
		f.record(audit.LoginFailed, f.owner("a@example.com").ID(), now.Add(-SweepRetention-time.Hour)),
		f.record(audit.LoginFailed, f.owner("b@example.com").ID(), now.Add(-SweepRetention-time.Second)),
	}
	recent := f.record(audit.LoginSucceeded, f.owner("c@example.com").ID(), now.Add(-SweepRetention+time.Second))
	if sw.Audit.Name() != "audit_events" {
		f.Errorf("Name = %q, want audit_events", sw.Audit.Name())
	}
	n, err := sw.Audit.Sweep(f.ctx, now, 1)
	f.must(err)
	if n != 1 {
		f.Fatalf("a batch of 1 deleted %d", n)
	}
	n, err = sw.Audit.Sweep(f.ctx, now, 10)
	f.must(err)
	if n != len(old)-1 {
		f.Errorf("the second batch deleted %d, want %d", n, len(old)-1)
	}
	f.sameEventIDs("events after the sweep", f.listEvents(outbound.AuditQuery{Limit: 10}), recent)
}
