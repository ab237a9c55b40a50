package session_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
)

var (
	t0     = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	policy = session.Policy{IdleTimeout: time.Hour, MaxLifetime: 3 * time.Hour, ReuseGrace: 10 * time.Second}
)

func start(t *testing.T) *session.Session {
	t.Helper()
	s, err := session.Start(mustSessionID("01890a5d-ac96-774b-bcce-b302099a8001"), mustUserID("01890a5d-ac96-774b-bcce-b302099a8002"), t0, policy, "ua", "127.0.0.1")
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
	if o != session.ReuseDetected || !errors.Is(err, session.ErrRefreshTokenReused) || s.RevokedAt() == nil {
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

func mustSessionID(s string) session.ID {
	id, err := session.ParseID(s)
	if err != nil {
		panic(err)
	}
	return id
}

func mustUserID(s string) user.ID {
	id, err := user.ParseID(s)
	if err != nil {
		panic(err)
	}
	return id
}

func TestEndedCoversRevokedAndExpired(t *testing.T) {
	for _, err := range []error{session.ErrRevoked, session.ErrExpired} {
		if !errors.Is(err, session.ErrEnded) {
			t.Errorf("%v does not match ErrEnded", err)
		}
	}
	if errors.Is(session.ErrRevoked, session.ErrExpired) || errors.Is(session.ErrExpired, session.ErrRevoked) {
		t.Error("revoked and expired must stay apart")
	}
}

func TestStartBoundsTheUserAgentOnACharacterBoundary(t *testing.T) {
	// 511 ASCII bytes and then a 3-byte character: cutting at 512 bytes
	// would split it, so the bound keeps 511.
	ua := strings.Repeat("a", session.MaxUserAgentBytes-1) + "€" + "tail"
	s, err := session.Start(mustSessionID("01890a5d-ac96-774b-bcce-b302099a8001"), mustUserID("01890a5d-ac96-774b-bcce-b302099a8002"), t0, policy, ua, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.UserAgent(); got != strings.Repeat("a", session.MaxUserAgentBytes-1) || !utf8.ValidString(got) {
		t.Fatalf("user agent kept %d bytes: %q...", len(got), got[:10])
	}
	if short := session.BoundUserAgent("curl/8"); short != "curl/8" {
		t.Fatalf("a short user agent changed: %q", short)
	}
}

func TestBeyondCapPicksTheLeastRecentlyUsed(t *testing.T) {
	owner := mustUserID("01890a5d-ac96-774b-bcce-b302099a8000")
	mk := func(n int, login, used time.Duration) *session.Session {
		id := mustSessionID(fmt.Sprintf("01890a5d-ac96-774b-bcce-b302099a80%02d", n))
		s, err := session.Start(id, owner, t0.Add(login), policy, "ua", "ip")
		if err != nil {
			t.Fatal(err)
		}
		if used > 0 {
			if _, err := s.Redeem(1, t0.Add(used), policy); err != nil {
				t.Fatal(err)
			}
		}
		return s
	}
	oldButUsed := mk(1, 0, 30*time.Minute)  // last used at 30m
	idle := mk(2, 5*time.Minute, 0)         // last used at 5m
	fresh := mk(3, 20*time.Minute, 0)       // last used at 20m
	tiesWithIdle := mk(4, 5*time.Minute, 0) // ties with idle on both times, larger id
	active := []*session.Session{fresh, idle, oldButUsed, tiesWithIdle}

	got := session.BeyondCap(active, 2)
	if len(got) != 2 || got[0].ID() != tiesWithIdle.ID() || got[1].ID() != idle.ID() {
		t.Fatalf("evicted %v, want the two used at 5m, larger id first", ids(got))
	}
	if len(session.BeyondCap(active, 4)) != 0 || len(session.BeyondCap(active, 10)) != 0 {
		t.Fatal("nothing may be evicted at or under the cap")
	}
	if len(session.BeyondCap(active, 0)) != 4 || len(session.BeyondCap(active, -1)) != 4 {
		t.Fatal("a cap of zero evicts everything")
	}
	if active[0] != fresh || active[3] != tiesWithIdle {
		t.Fatal("BeyondCap reordered its input")
	}
}

func ids(list []*session.Session) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.ID().String()
	}
	return out
}

// The grace counts from the rotation (Redeem's now when it rotated, which
// the caller reads under the session's lock, so from its commit), up to the
// configured bound, and covers only a predecessor whose successor has
// never been presented: presenting the successor rotates again, and from
// then on the old token is reuse, however early it comes back.
func TestGraceEndsWhenTheSuccessorIsPresentedOrTheBoundPasses(t *testing.T) {
	long := policy
	long.ReuseGrace = time.Minute // Cognito's bound
	s := start(t)
	rotation := t0.Add(5 * time.Minute)
	if o, _ := s.Redeem(1, rotation, long); o != session.Rotated {
		t.Fatal("rotation")
	}
	if !s.RotatedAt().Equal(rotation) {
		t.Fatalf("rotatedAt %v, want the time of the rotation %v", s.RotatedAt(), rotation)
	}
	if o, err := s.Redeem(1, rotation.Add(time.Minute), long); o != session.GraceHit || err != nil {
		t.Fatalf("a retry at the bound (a lost answer): %v %v", o, err)
	}
	if o, _ := s.Redeem(2, rotation.Add(time.Minute), long); o != session.Rotated {
		t.Fatal("the successor rotates")
	}
	o, err := s.Redeem(1, rotation.Add(time.Minute+time.Second), long)
	if o != session.ReuseDetected || !errors.Is(err, session.ErrRefreshTokenReused) {
		t.Fatalf("the predecessor after its successor was presented: %v %v, want reuse", o, err)
	}

	s = start(t)
	s.Redeem(1, rotation, long)
	if o, _ := s.Redeem(1, rotation.Add(time.Minute+time.Nanosecond), long); o != session.ReuseDetected {
		t.Fatalf("past the bound: %v, want reuse", o)
	}
}
