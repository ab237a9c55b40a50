package application_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/ports/inbound"
)

func TestEveryUserFacingChangeIsAudited(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	client := inbound.Client{IP: "192.0.2.7", UserAgent: "test-agent"}
	a, err := h.signup.Handle(ctx, inbound.SignupCommand{Email: "ada@example.com", Password: goodPassword, FullName: "Ada", Client: client})
	if err != nil {
		t.Fatal(err)
	}
	h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: "wrong password", Client: client})
	h.login.Handle(ctx, inbound.LoginCommand{Email: "ghost@example.com", Password: "wrong password", Client: client})
	b := h.mustLogin(t, "ada@example.com")
	b2 := mustRefresh(t, h, b.RefreshToken)
	mustRefresh(t, h, b.RefreshToken) // grace hit
	h.clock.Advance(time.Minute)
	refreshErr(h, b.RefreshToken) // reuse detected: revokes b's session
	pa := h.principal(t, a)
	pa.Client = client
	if err := h.changePassword.Handle(ctx, inbound.ChangePasswordCommand{Principal: pa, CurrentPassword: goodPassword, NewPassword: "another fine secret"}); err != nil {
		t.Fatal(err)
	}
	c, _ := h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: "another fine secret"})
	if err := h.revokeSession.Handle(ctx, inbound.RevokeSessionCommand{Principal: pa, SessionID: h.principal(t, c).SessionID}); err != nil {
		t.Fatal(err)
	}
	if err := h.logout.Handle(ctx, inbound.LogoutCommand{RefreshToken: a.RefreshToken, Client: client}); err != nil {
		t.Fatal(err)
	}

	want := []audit.Type{
		audit.Signup, audit.LoginFailed, audit.LoginFailed, audit.LoginSucceeded, audit.Refreshed,
		audit.RefreshGraceHit, audit.RefreshReuseDetected, audit.PasswordChanged, audit.LoginSucceeded,
		audit.SessionRevoked, audit.Logout,
	}
	events := h.events(t)
	if got := h.eventTypes(t); !slices.Equal(got, want) {
		t.Fatalf("events\n got %v\nwant %v", got, want)
	}
	if events[0].UserID != a.User.ID() || events[0].SessionID.IsZero() || events[0].IP != client.IP || events[0].UserAgent != client.UserAgent {
		t.Fatalf("signup event lacks who/where: %+v", events[0])
	}
	if events[1].UserID != a.User.ID() || !events[2].UserID.IsZero() {
		t.Fatalf("failed logins: known account named, unknown not: %+v %+v", events[1], events[2])
	}
	// No secret anywhere in the trail.
	secrets := []string{goodPassword, "another fine secret", "wrong password", a.RefreshToken, b.RefreshToken, b2.RefreshToken, a.AccessToken}
	for _, e := range events {
		dump := fmt.Sprintf("%+v", e)
		for _, s := range secrets {
			if strings.Contains(dump, s) {
				t.Fatalf("event %s holds a secret: %s", e.Type, dump)
			}
		}
	}
}

func TestReuseRevocationAndItsEventCommitTogether(t *testing.T) {
	h := newHarness(t)
	a := h.mustSignup(t, "ada@example.com")
	mustRefresh(t, h, a.RefreshToken)
	h.clock.Advance(time.Minute)
	refreshErr(h, a.RefreshToken)
	if _, err := h.authenticate(a.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatal("reuse must have revoked the session although the request failed")
	}
	types := h.eventTypes(t)
	if types[len(types)-1] != audit.RefreshReuseDetected {
		t.Fatalf("events %v: the reuse event must be recorded", types)
	}
}

func TestKeyRotationIsAudited(t *testing.T) {
	h := newHarness(t)
	keys := &fakeKeys{}
	uc := application.NewRotateSigningKey(keys, h.store.Audit(), h.clock, h.ids)
	kid, err := uc.Handle(context.Background(), inbound.RotateSigningKeyCommand{
		Client: inbound.Client{UserAgent: "authd-cli"}, ActivateIn: 6 * time.Minute,
	})
	if err != nil || kid != "kid-2" {
		t.Fatalf("rotate: %q %v", kid, err)
	}
	activates := h.clock.Now().Add(6 * time.Minute).UTC().Truncate(time.Second)
	if !keys.activates.Equal(activates) {
		t.Fatalf("the key activates at %v, want now + 6m = %v", keys.activates, activates)
	}
	e := h.events(t)[0]
	if e.Type != audit.KeyRotated || e.Detail["kid"] != "kid-2" || e.Detail["activatesAt"] != activates.Format(time.RFC3339) ||
		e.UserAgent != "authd-cli" || !e.UserID.IsZero() || !e.SessionID.IsZero() {
		t.Fatalf("event %+v", e)
	}
	if _, err := uc.Handle(context.Background(), inbound.RotateSigningKeyCommand{ActivateIn: -time.Second}); err == nil {
		t.Fatal("a negative activation delay was accepted")
	}
}

type fakeKeys struct{ activates time.Time }

func (k *fakeKeys) Rotate(_ context.Context, activates time.Time) (string, error) {
	k.activates = activates
	return "kid-2", nil
}
