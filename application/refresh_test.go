package application_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

func mustRefresh(t *testing.T, h *harness, token string) inbound.TokenPair {
	t.Helper()
	pair, err := h.refresh.Handle(context.Background(), inbound.RefreshCommand{RefreshToken: token})
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	return pair
}

func refreshErr(h *harness, token string) error {
	_, err := h.refresh.Handle(context.Background(), inbound.RefreshCommand{RefreshToken: token})
	return err
}

func TestRefreshRotates(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	h.clock.Advance(time.Minute)
	second := mustRefresh(t, h, first.RefreshToken)
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("refresh must rotate the token")
	}
	if h.principal(t, second).SessionID != h.principal(t, first).SessionID {
		t.Fatal("rotation must stay in the same session")
	}
	third := mustRefresh(t, h, second.RefreshToken)
	if third.RefreshToken == second.RefreshToken {
		t.Fatal("every refresh must rotate")
	}
}

func TestRefreshWithinGraceReturnsIdenticalSuccessor(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := mustRefresh(t, h, first.RefreshToken)
	h.clock.Advance(10 * time.Second) // the grace interval, inclusive
	again := mustRefresh(t, h, first.RefreshToken)
	if again.RefreshToken != second.RefreshToken {
		t.Fatalf("grace hit returned %q, want the successor %q", again.RefreshToken, second.RefreshToken)
	}
	if again.AccessToken == "" {
		t.Fatal("grace hit must still return an access token")
	}
	mustRefresh(t, h, second.RefreshToken) // the successor is still the live one
}

func TestRefreshReuseAfterGraceRevokesWholeSession(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := mustRefresh(t, h, first.RefreshToken)
	h.clock.Advance(10*time.Second + time.Millisecond)

	if err := refreshErr(h, first.RefreshToken); !errors.Is(err, session.ErrRefreshTokenReused) {
		t.Fatalf("reuse: err = %v, want ErrRefreshTokenReused", err)
	}
	if err := refreshErr(h, second.RefreshToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("successor after reuse: err = %v, want session.ErrRevoked", err)
	}
	if _, err := h.authenticate(second.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("access token after reuse: err = %v, want session.ErrRevoked", err)
	}
}

func TestRefreshGraceCoversOnlyImmediatePredecessor(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := mustRefresh(t, h, first.RefreshToken)
	mustRefresh(t, h, second.RefreshToken)
	if err := refreshErr(h, first.RefreshToken); !errors.Is(err, session.ErrRefreshTokenReused) {
		t.Fatalf("grand-predecessor: err = %v, want reuse detected", err)
	}
}

func TestRefreshGraceNeverRevivesEndedSession(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := mustRefresh(t, h, first.RefreshToken)
	if err := h.logout.Handle(context.Background(), inbound.LogoutCommand{RefreshToken: second.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if err := refreshErr(h, first.RefreshToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("predecessor after logout: err = %v, want session.ErrRevoked", err)
	}
}

func TestRefreshIdleTimeout(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	h.clock.Advance(7*24*time.Hour - time.Second)
	pair = mustRefresh(t, h, pair.RefreshToken) // just in time: the idle clock restarts
	h.clock.Advance(7 * 24 * time.Hour)
	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, session.ErrExpired) {
		t.Fatalf("idle session: err = %v, want session.ErrExpired", err)
	}
}

func TestRefreshNeverExtendsAbsoluteLifetime(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	for range 5 { // 5 x 6 days = 30 days
		h.clock.Advance(6 * 24 * time.Hour)
		if h.clock.Now().Before(t0.Add(30 * 24 * time.Hour)) {
			pair = mustRefresh(t, h, pair.RefreshToken)
			if pair.RefreshExpiresAt.After(t0.Add(30 * 24 * time.Hour)) {
				t.Fatalf("refresh expiry %v beyond the absolute lifetime", pair.RefreshExpiresAt)
			}
		}
	}
	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, session.ErrExpired) {
		t.Fatalf("after 30 days: err = %v, want session.ErrExpired", err)
	}
}

func TestRefreshRejectsGarbageAndAccessTokens(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	for _, tok := range []string{"", "garbage", pair.AccessToken, "rt|00000000-0000-7000-8000-00000000ffff|1"} {
		if err := refreshErr(h, tok); !errors.Is(err, outbound.ErrRefreshTokenInvalid) {
			t.Fatalf("token %q: err = %v, want ErrRefreshTokenInvalid", tok, err)
		}
	}
}

func TestRefreshRefusesDisabledUserAndRotatesNothing(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	id := sessionIDOf(t, pair)
	before := h.storedSession(t, id)
	eventsBefore := len(h.events(t))
	disable(t, h, pair) // straight in the store: the session stays live
	h.clock.Advance(time.Minute)

	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, user.ErrDisabled) {
		t.Fatalf("err = %v, want user.ErrDisabled", err)
	}
	after := h.storedSession(t, id)
	if after.Generation() != before.Generation() || !after.LastUsedAt().Equal(before.LastUsedAt()) ||
		!after.IdleExpiresAt().Equal(before.IdleExpiresAt()) || after.RevokedAt() != nil {
		t.Fatalf("a refused refresh changed the session: generation %d -> %d, last used %v -> %v, revoked %v",
			before.Generation(), after.Generation(), before.LastUsedAt(), after.LastUsedAt(), after.RevokedAt())
	}
	if n := len(h.events(t)); n != eventsBefore {
		t.Fatalf("a refused refresh recorded %d events: %v", n-eventsBefore, h.eventTypes(t))
	}

	// Past the grace interval, so that the presented token would count as
	// reused had the refused attempt rotated it.
	h.clock.Advance(time.Minute)
	if _, err := h.store.Users().Update(context.Background(), pair.User.ID(), func(u *user.User) error {
		u.SetDisabled(false, h.clock.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	next := mustRefresh(t, h, pair.RefreshToken)
	if next.RefreshToken == pair.RefreshToken {
		t.Fatal("after re-enabling, the presented token must rotate")
	}
	if types := h.eventTypes(t); types[len(types)-1] != audit.Refreshed {
		t.Fatalf("events %v: want a plain rotation", types)
	}
}

func TestRefreshOfDeletedUserEndsTheSession(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	id := sessionIDOf(t, pair)
	// The user goes, its session row stays (no cascade in the port).
	if err := h.store.Users().Delete(context.Background(), pair.User.ID()); err != nil {
		t.Fatal(err)
	}
	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("err = %v, want session.ErrRevoked", err)
	}
	if g := h.storedSession(t, id).Generation(); g != 1 {
		t.Fatalf("generation %d: a deleted user's session must not rotate", g)
	}
}

func TestConcurrentRefreshesAllGetTheSameSuccessor(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	const n = 20
	tokens := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p, err := h.refresh.Handle(context.Background(), inbound.RefreshCommand{RefreshToken: pair.RefreshToken})
			tokens[i], errs[i] = p.RefreshToken, err
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("refresh %d: %v", i, errs[i])
		}
		if tokens[i] != tokens[0] {
			t.Fatalf("refresh %d got %q, refresh 0 got %q: the session forked", i, tokens[i], tokens[0])
		}
	}
	mustRefresh(t, h, tokens[0])
}
