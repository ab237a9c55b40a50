package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
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
	if _, err := h.authenticate(pair.AccessToken); !errors.Is(err, user.ErrDisabled) {
		t.Fatalf("disabled user: err = %v", err)
	}
	if err := h.store.Users().Delete(ctx, pair.User.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.authenticate(pair.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("deleted user: err = %v", err)
	}
}

func TestAuthenticateRefusesRevokedExpiredAndBadTokens(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	ctx := context.Background()
	if _, err := h.authenticate(""); !errors.Is(err, inbound.ErrUnauthenticated) {
		t.Fatalf("empty: err = %v", err)
	}
	if _, err := h.authenticate("junk"); !errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("junk: err = %v", err)
	}
	if _, err := h.authenticate(pair.RefreshToken); !errors.Is(err, outbound.ErrTokenInvalid) {
		t.Fatalf("a refresh token is never an access token: err = %v", err)
	}
	if err := h.logout.Handle(ctx, inbound.LogoutCommand{RefreshToken: pair.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.authenticate(pair.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("after logout, before exp: err = %v", err)
	}
	other := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(15 * time.Minute)
	if _, err := h.authenticate(other.AccessToken); !errors.Is(err, outbound.ErrTokenExpired) {
		t.Fatalf("expired: err = %v", err)
	}
}

func TestLogoutIgnoresUnknownTokens(t *testing.T) {
	h := newHarness(t)
	for _, tok := range []string{"", "nope", "rt|00000000-0000-7000-8000-00000000ffff|1"} {
		if err := h.logout.Handle(context.Background(), inbound.LogoutCommand{RefreshToken: tok}); err != nil {
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

	views, err := h.listSessions.Handle(ctx, inbound.ListSessionsQuery{Principal: pc})
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 3 || views[0].Session.ID() != pc.SessionID || !views[0].Current || views[1].Current || views[2].Current {
		t.Fatalf("want 3 sessions newest first with only the caller's current: %+v", views)
	}

	intruder := h.mustSignup(t, "eve@example.com")
	if err := h.revokeSession.Handle(ctx, inbound.RevokeSessionCommand{Principal: h.principal(t, intruder), SessionID: h.principal(t, a).SessionID}); !errors.Is(err, session.ErrNotFound) {
		t.Fatalf("revoking another user's session: err = %v, want not found", err)
	}
	h.principal(t, a) // still alive

	if err := h.revokeSession.Handle(ctx, inbound.RevokeSessionCommand{Principal: pc, SessionID: h.principal(t, b).SessionID}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.authenticate(b.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("revoked session: err = %v", err)
	}

	if err := h.revokeOthers.Handle(ctx, inbound.RevokeOtherSessionsCommand{Principal: pc}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.authenticate(a.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("other session after revoke-others: err = %v", err)
	}
	h.principal(t, c)

	if err := h.logoutAll.Handle(ctx, inbound.LogoutAllCommand{Principal: pc}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.authenticate(c.AccessToken); !errors.Is(err, session.ErrRevoked) {
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

	err := h.changePassword.Handle(ctx, inbound.ChangePasswordCommand{Principal: pa, CurrentPassword: "wrong one", NewPassword: "a brand new secret"})
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("wrong current: err = %v", err)
	}
	err = h.changePassword.Handle(ctx, inbound.ChangePasswordCommand{Principal: pa, CurrentPassword: goodPassword, NewPassword: "short"})
	var ve *validation.Error
	if !errors.As(err, &ve) || len(ve.Fields) == 0 || ve.Fields[0].Field != "newPassword" {
		t.Fatalf("weak new password: err = %v", err)
	}
	if err := h.changePassword.Handle(ctx, inbound.ChangePasswordCommand{Principal: pa, CurrentPassword: goodPassword, NewPassword: "a brand new secret"}); err != nil {
		t.Fatal(err)
	}
	h.principal(t, a) // the current session survives
	if _, err := h.authenticate(b.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("other session after password change: err = %v", err)
	}
	if _, err := h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword}); !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("old password: err = %v", err)
	}
	if _, err := h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: "a brand new secret"}); err != nil {
		t.Fatalf("new password: %v", err)
	}
}
