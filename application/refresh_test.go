package application_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/ports/inbound"
)

func mustRefresh(t *testing.T, h *harness, token string) inbound.TokenPair {
	t.Helper()
	pair, err := h.refresh.Refresh(context.Background(), inbound.RefreshCommand{RefreshToken: token})
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	return pair
}

func refreshErr(h *harness, token string) error {
	_, err := h.refresh.Refresh(context.Background(), inbound.RefreshCommand{RefreshToken: token})
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

	if err := refreshErr(h, first.RefreshToken); !errors.Is(err, inbound.ErrRefreshTokenReused) {
		t.Fatalf("reuse: err = %v, want ErrRefreshTokenReused", err)
	}
	if err := refreshErr(h, second.RefreshToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("successor after reuse: err = %v, want ErrSessionRevoked", err)
	}
	if _, err := h.auth.Authenticate(context.Background(), second.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("access token after reuse: err = %v, want ErrSessionRevoked", err)
	}
}

func TestRefreshGraceCoversOnlyImmediatePredecessor(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := mustRefresh(t, h, first.RefreshToken)
	mustRefresh(t, h, second.RefreshToken)
	if err := refreshErr(h, first.RefreshToken); !errors.Is(err, inbound.ErrRefreshTokenReused) {
		t.Fatalf("grand-predecessor: err = %v, want reuse detected", err)
	}
}

func TestRefreshGraceNeverRevivesEndedSession(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := mustRefresh(t, h, first.RefreshToken)
	if err := h.logout.Logout(context.Background(), inbound.LogoutCommand{RefreshToken: second.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if err := refreshErr(h, first.RefreshToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("predecessor after logout: err = %v, want ErrSessionRevoked", err)
	}
}

func TestRefreshIdleTimeout(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	h.clock.Advance(7*24*time.Hour - time.Second)
	pair = mustRefresh(t, h, pair.RefreshToken) // just in time: the idle clock restarts
	h.clock.Advance(7 * 24 * time.Hour)
	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("idle session: err = %v, want ErrSessionRevoked", err)
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
	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("after 30 days: err = %v, want ErrSessionRevoked", err)
	}
}

func TestRefreshRejectsGarbageAndAccessTokens(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	for _, tok := range []string{"", "garbage", pair.AccessToken, "rt|00000000-0000-7000-8000-00000000ffff|1"} {
		if err := refreshErr(h, tok); !errors.Is(err, inbound.ErrRefreshTokenInvalid) {
			t.Fatalf("token %q: err = %v, want ErrRefreshTokenInvalid", tok, err)
		}
	}
}

func TestRefreshRefusesDisabledUser(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	disable(t, h, pair)
	if err := refreshErr(h, pair.RefreshToken); !errors.Is(err, inbound.ErrUserDisabled) {
		t.Fatalf("err = %v, want ErrUserDisabled", err)
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
			p, err := h.refresh.Refresh(context.Background(), inbound.RefreshCommand{RefreshToken: pair.RefreshToken})
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
