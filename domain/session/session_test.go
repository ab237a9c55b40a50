package session_test

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
)

var (
	t0     = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	policy = session.Policy{IdleTimeout: time.Hour, MaxLifetime: 3 * time.Hour, ReuseGrace: 10 * time.Second}
)

func start(t *testing.T) *session.Session {
	t.Helper()
	s, err := session.Start("s1", "u1", t0, policy, "ua", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRedeemRules(t *testing.T) {
	s := start(t)
	if o, err := s.Redeem(1, t0.Add(time.Minute), policy); o != session.Rotated || err != nil || s.Generation() != 2 {
		t.Fatalf("current token: %v %v gen %d", o, err, s.Generation())
	}
	if o, err := s.Redeem(1, t0.Add(time.Minute+10*time.Second), policy); o != session.GraceHit || err != nil || s.Generation() != 2 {
		t.Fatalf("predecessor within grace: %v %v", o, err)
	}
	o, err := s.Redeem(1, t0.Add(time.Minute+11*time.Second), policy)
	if o != session.ReuseDetected || !errors.Is(err, session.ErrStaleToken) || s.RevokedAt() == nil {
		t.Fatalf("predecessor after grace: %v %v revoked %v", o, err, s.RevokedAt())
	}
	if _, err := s.Redeem(2, t0.Add(2*time.Minute), policy); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("successor after reuse: %v", err)
	}
}

func TestRedeemOlderThanPredecessorIsReuse(t *testing.T) {
	s := start(t)
	s.Redeem(1, t0, policy)
	s.Redeem(2, t0, policy)
	if o, _ := s.Redeem(1, t0, policy); o != session.ReuseDetected {
		t.Fatalf("grand-predecessor: %v", o)
	}
}

func TestLifetimes(t *testing.T) {
	s := start(t)
	if !s.IsActive(t0.Add(time.Hour-time.Nanosecond)) || s.IsActive(t0.Add(time.Hour)) {
		t.Fatal("idle deadline must be exactly one idle timeout after last use")
	}
	// Rotating every 50 minutes keeps it alive until the absolute deadline.
	now := t0
	for g := session.Generation(1); ; g++ {
		now = now.Add(50 * time.Minute)
		_, err := s.Redeem(g, now, policy)
		if now.Before(t0.Add(3 * time.Hour)) {
			if err != nil {
				t.Fatalf("at %v: %v", now.Sub(t0), err)
			}
			if s.ExpiresAt().After(t0.Add(3 * time.Hour)) {
				t.Fatal("rotation extended the absolute lifetime")
			}
			continue
		}
		if !errors.Is(err, session.ErrExpired) {
			t.Fatalf("past the absolute lifetime: %v", err)
		}
		break
	}
}

func TestRevokeIsIdempotent(t *testing.T) {
	s := start(t)
	if !s.Revoke(t0, session.ReasonLogout) || s.Revoke(t0.Add(time.Second), session.ReasonAdmin) {
		t.Fatal("only the first revoke counts")
	}
	if s.RevokeReason() != session.ReasonLogout || !s.RevokedAt().Equal(t0) {
		t.Fatal("first revoke's reason and time must stay")
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := start(t)
	s.Revoke(t0, session.ReasonLogout)
	back, err := session.Rehydrate(s.Snapshot())
	if err != nil {
		t.Fatal(err)
	}
	a, b := s.Snapshot(), back.Snapshot()
	if a.ID != b.ID || a.Generation != b.Generation || !a.RevokedAt.Equal(*b.RevokedAt) || a.ExpiresAt != b.ExpiresAt {
		t.Fatalf("round trip differs: %+v vs %+v", a, b)
	}
}
