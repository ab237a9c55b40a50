package application_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

const newPassword = "a brand new passphrase"

func (h *harness) forgot(t *testing.T, email string) {
	t.Helper()
	if err := h.mail.forgot.Handle(context.Background(), inbound.ForgotPasswordCommand{Email: email}); err != nil {
		t.Fatalf("forgot %s: %v", email, err)
	}
}

func (h *harness) reset(p inbound.SecretProof, password string) error {
	return h.mail.reset.Handle(context.Background(), inbound.ResetPasswordCommand{Proof: p, NewPassword: password})
}

func TestResetByTokenSetsThePasswordEndsEverySessionAndVerifies(t *testing.T) {
	h := newHarness(t)
	first := h.mustSignup(t, "ada@example.com")
	second := h.mustLogin(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailResetPassword)
	if !strings.HasPrefix(m.Content.Link, testLinks.ResetPassword+"#token=") || !sixDigits.MatchString(m.Content.Code) ||
		!m.Content.ExpiresAt.Equal(h.clock.Now().Add(30*time.Minute)) {
		t.Fatalf("reset mail content %+v", m.Content)
	}
	if err := h.reset(inbound.SecretProof{Token: tokenOf(t, m)}, newPassword); err != nil {
		t.Fatalf("reset: %v", err)
	}
	for _, pair := range []inbound.TokenPair{first, second} {
		if _, err := h.authenticate(pair.AccessToken); !errors.Is(err, session.ErrEnded) {
			t.Fatalf("a session survived the reset: %v", err)
		}
	}
	if !h.storedUser(t, "ada@example.com").verified {
		t.Fatal("a reset did not verify the address it was mailed to")
	}
	if _, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword}); !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("the old password: %v", err)
	}
	if _, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: newPassword}); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	wantInvalid(t, "the token again", h.reset(inbound.SecretProof{Token: tokenOf(t, m)}, "another new passphrase"))
	wantInvalid(t, "the code after the token", h.reset(inbound.SecretProof{Email: "ada@example.com", Code: m.Content.Code}, "another new passphrase"))
	var reset *audit.Event
	for _, e := range h.events(t) {
		if e.Type == audit.PasswordReset {
			reset = &e
		}
	}
	if reset == nil || reset.Detail["sessionsRevoked"] != "2" {
		t.Fatalf("password_reset event %+v, want 2 sessions revoked", reset)
	}
}

func TestResetByCodeSpendsNothingWhenThePasswordIsRefused(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailResetPassword)
	proof := inbound.SecretProof{Email: "ada@example.com", Code: m.Content.Code}

	for _, bad := range []string{"short", "password", "my ada passphrase"} {
		err := h.reset(proof, bad)
		ve, ok := errors.AsType[*validation.Error](err)
		if !ok || ve.Fields[0].Field != "newPassword" {
			t.Fatalf("reset with %q: %v, want a validation error on newPassword", bad, err)
		}
	}
	if err := h.reset(proof, newPassword); err != nil {
		t.Fatalf("reset by code after refused passwords: %v", err)
	}
	h.mustLoginWith(t, "ada@example.com", newPassword)
}

func TestResetWrongCodesAreCountedAndTheFifthKills(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailResetPassword)
	bad := inbound.SecretProof{Email: "ada@example.com", Code: wrongCode(m.Content.Code)}
	for range 5 {
		// A wrong code is refused before the password is even hashed.
		before := h.hasher.verifies.Load()
		wantInvalid(t, "a wrong code", h.reset(bad, newPassword))
		if h.hasher.verifies.Load() != before {
			t.Fatal("a wrong code cost a hash")
		}
	}
	wantInvalid(t, "the right code after five wrong", h.reset(inbound.SecretProof{Email: "ada@example.com", Code: m.Content.Code}, newPassword))
}

func TestForgotAnswersAlikeAndMailsOnlyEnabledAccounts(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.mustSignup(t, "disabled@example.com")
	h.disable(t, "disabled@example.com")
	for _, email := range []string{"ada@example.com", "nobody@example.com", "disabled@example.com"} {
		h.forgot(t, email)
	}
	got := h.deliverAll(t)
	if len(got) != 1 || got[0].To != "ada@example.com" || got[0].Purpose != outbound.MailResetPassword {
		t.Fatalf("mails %+v, want one reset to ada", got)
	}
	n := 0
	for _, e := range h.events(t) {
		if e.Type == audit.PasswordResetRequested {
			n++
			if strings.Contains(strings.Join([]string{e.Detail["email"], e.Detail["mailed"]}, " "), got[0].Content.Code) {
				t.Fatal("an event holds the code")
			}
		}
	}
	if n != 3 {
		t.Fatalf("%d password_reset_requested events, want one per request", n)
	}
}

func TestResetIsRefusedForADisabledAccountOrAnotherPurposeOrLate(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.forgot(t, "ada@example.com")
	m := h.lastMail(t, "ada@example.com", outbound.MailResetPassword)
	token := inbound.SecretProof{Token: tokenOf(t, m)}

	wantInvalid(t, "a reset token used to verify", h.verify(token))
	h.disable(t, "ada@example.com")
	wantInvalid(t, "reset of a disabled account", h.reset(token, newPassword))
	h.changeUser(t, "ada@example.com", func(u *user.User) { u.SetDisabled(false, h.clock.Now()) })
	if err := h.reset(inbound.SecretProof{Email: "ada@example.com", Code: wrongCode(m.Content.Code)}, newPassword); err == nil {
		t.Fatal("a wrong code was accepted")
	}
	h.clock.Advance(30 * time.Minute)
	wantInvalid(t, "an expired reset", h.reset(token, newPassword))
}

func (h *harness) mustLoginWith(t *testing.T, email, password string) inbound.TokenPair {
	t.Helper()
	pair, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: email, Password: password})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return pair
}
