package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

func disable(t *testing.T, h *harness, pair inbound.TokenPair) {
	t.Helper()
	if _, err := h.store.Users().Update(context.Background(), pair.User.ID(), func(u *user.User) error {
		u.SetDisabled(true, h.clock.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestAuthenticateReadsTheLiveRecords(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	ctx := context.Background()

	if _, err := h.store.Users().Update(ctx, pair.User.ID(), func(u *user.User) error {
		u.ChangeRole(user.RoleAdmin, h.clock.Now())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := h.principal(t, pair).User.Role(); got != user.RoleAdmin {
		t.Fatalf("role = %q: must come from the record, not the token", got)
	}

	disable(t, h, pair)
	if _, err := h.auth.Authenticate(ctx, pair.AccessToken); !errors.Is(err, inbound.ErrUserDisabled) {
		t.Fatalf("disabled user: err = %v", err)
	}
	if err := h.store.Users().Delete(ctx, pair.User.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.auth.Authenticate(ctx, pair.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("deleted user: err = %v", err)
	}
}

func TestAuthenticateRefusesRevokedExpiredAndBadTokens(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	ctx := context.Background()
	if _, err := h.auth.Authenticate(ctx, ""); !errors.Is(err, inbound.ErrUnauthenticated) {
		t.Fatalf("empty: err = %v", err)
	}
	if _, err := h.auth.Authenticate(ctx, "junk"); !errors.Is(err, inbound.ErrTokenInvalid) {
		t.Fatalf("junk: err = %v", err)
	}
	if _, err := h.auth.Authenticate(ctx, pair.RefreshToken); !errors.Is(err, inbound.ErrTokenInvalid) {
		t.Fatalf("a refresh token is never an access token: err = %v", err)
	}
	if err := h.logout.Logout(ctx, inbound.LogoutCommand{RefreshToken: pair.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.auth.Authenticate(ctx, pair.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("after logout, before exp: err = %v", err)
	}
	other := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(15 * time.Minute)
	if _, err := h.auth.Authenticate(ctx, other.AccessToken); !errors.Is(err, inbound.ErrTokenExpired) {
		t.Fatalf("expired: err = %v", err)
	}
}

func TestLogoutIgnoresUnknownTokens(t *testing.T) {
	h := newHarness(t)
	for _, tok := range []string{"", "nope", "rt|00000000-0000-7000-8000-00000000ffff|1"} {
		if err := h.logout.Logout(context.Background(), inbound.LogoutCommand{RefreshToken: tok}); err != nil {
			t.Fatalf("logout %q: %v", tok, err)
		}
	}
}

func TestSessionListingAndRevocation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a := h.mustSignup(t, "ada@example.com")
	h.clock.Advance(time.Second)
	b := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(time.Second)
	c := h.mustLogin(t, "ada@example.com")
	pc := h.principal(t, c)

	views, err := h.sessions.ListSessions(ctx, pc)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 3 || views[0].Session.ID() != pc.SessionID || !views[0].Current || views[1].Current || views[2].Current {
		t.Fatalf("want 3 sessions newest first with only the caller's current: %+v", views)
	}

	intruder := h.mustSignup(t, "eve@example.com")
	if err := h.sessions.RevokeSession(ctx, h.principal(t, intruder), h.principal(t, a).SessionID); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("revoking another user's session: err = %v, want not found", err)
	}
	h.principal(t, a) // still alive

	if err := h.sessions.RevokeSession(ctx, pc, h.principal(t, b).SessionID); err != nil {
		t.Fatal(err)
	}
	if _, err := h.auth.Authenticate(ctx, b.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("revoked session: err = %v", err)
	}

	if err := h.sessions.RevokeOtherSessions(ctx, pc); err != nil {
		t.Fatal(err)
	}
	if _, err := h.auth.Authenticate(ctx, a.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("other session after revoke-others: err = %v", err)
	}
	h.principal(t, c)

	if err := h.sessions.LogoutAll(ctx, pc); err != nil {
		t.Fatal(err)
	}
	if _, err := h.auth.Authenticate(ctx, c.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("current session after logout-all: err = %v", err)
	}
	h.principal(t, intruder) // other users untouched
}

func TestChangePassword(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	a := h.mustSignup(t, "ada@example.com")
	b := h.mustLogin(t, "ada@example.com")
	pa := h.principal(t, a)

	err := h.password.ChangePassword(ctx, pa, inbound.ChangePasswordCommand{CurrentPassword: "wrong one", NewPassword: "a brand new secret"})
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("wrong current: err = %v", err)
	}
	err = h.password.ChangePassword(ctx, pa, inbound.ChangePasswordCommand{CurrentPassword: goodPassword, NewPassword: "short"})
	var ve *user.ValidationError
	if !errors.As(err, &ve) || ve.Fields[0].Field != "newPassword" {
		t.Fatalf("weak new password: err = %v", err)
	}
	if err := h.password.ChangePassword(ctx, pa, inbound.ChangePasswordCommand{CurrentPassword: goodPassword, NewPassword: "a brand new secret"}); err != nil {
		t.Fatal(err)
	}
	h.principal(t, a) // the current session survives
	if _, err := h.auth.Authenticate(ctx, b.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("other session after password change: err = %v", err)
	}
	if _, err := h.login.Login(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword}); !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("old password: err = %v", err)
	}
	if _, err := h.login.Login(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: "a brand new secret"}); err != nil {
		t.Fatalf("new password: %v", err)
	}
}
