package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
	"github.com/authd/authd/ports/inbound"
)

func TestLockoutAfterTenFailuresWhateverTheAccount(t *testing.T) {
	for _, email := range []string{"ada@example.com", "nobody@example.com"} {
		t.Run(email, func(t *testing.T) {
			h := newHarness(t)
			h.mustSignup(t, "ada@example.com")
			ctx := context.Background()
			wrong := inbound.LoginCommand{Email: email, Password: "not the password", Client: inbound.Client{IP: "198.51.100.1"}}
			for i := range 10 {
				if _, err := h.login.Handle(ctx, wrong); !errors.Is(err, inbound.ErrInvalidCredentials) {
					t.Fatalf("failure %d: err = %v, want invalid credentials", i+1, err)
				}
			}
			// From another IP, with the right password (or any password for
			// an unknown account): the email itself is locked.
			right := inbound.LoginCommand{Email: email, Password: goodPassword, Client: inbound.Client{IP: "203.0.113.9"}}
			before := h.hasher.verifies.Load()
			_, err := h.login.Handle(ctx, right)
			var retry *inbound.RetryAfterError
			if !errors.Is(err, inbound.ErrTooManyAttempts) || !errors.As(err, &retry) || retry.RetryAfter <= 0 || retry.RetryAfter > 15*time.Minute {
				t.Fatalf("11th attempt: err = %v, want too many attempts with a retry-after within the window", err)
			}
			if h.hasher.verifies.Load() != before {
				t.Fatal("a locked email must be refused before paying for a hash")
			}
			types := h.eventTypes(t)
			if types[len(types)-1] != audit.LoginLocked {
				t.Fatalf("last event %v, want login_locked", types[len(types)-1])
			}

			h.clock.Advance(15 * time.Minute)
			_, err = h.login.Handle(ctx, right)
			if email == "ada@example.com" && err != nil {
				t.Fatalf("after the window: %v", err)
			}
			if email != "ada@example.com" && !errors.Is(err, inbound.ErrInvalidCredentials) {
				t.Fatalf("after the window, unknown email: %v", err)
			}
		})
	}
}

func TestSuccessfulLoginDoesNotResetFailures(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	ctx := context.Background()
	for range 9 {
		h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: "wrong password!", Client: inbound.Client{IP: "198.51.100.1"}})
	}
	h.mustLogin(t, "ada@example.com")
	h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: "wrong password!"})
	if _, err := h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword}); !errors.Is(err, inbound.ErrTooManyAttempts) {
		t.Fatalf("err = %v: the success in between must not have reset the count", err)
	}
}

// Wrong current passwords on a password change count against the same
// lockout as failed logins: a stolen access token is no unthrottled oracle.
func TestPasswordChangeGuessesCountAgainstTheLockout(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	ctx := context.Background()
	pa, err := h.auth.Handle(ctx, inbound.AuthenticateCommand{BearerToken: pair.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	guess := inbound.ChangePasswordCommand{Principal: pa, CurrentPassword: "a wrong guess", NewPassword: "a brand new secret"}
	for i := range 5 {
		if err := h.changePassword.Handle(ctx, guess); !errors.Is(err, inbound.ErrInvalidCredentials) {
			t.Fatalf("guess %d: %v, want invalid credentials", i+1, err)
		}
	}
	for i := range 5 {
		_, err := h.login.Handle(ctx, inbound.LoginCommand{Email: "ADA@example.com", Password: "wrong password!"})
		if !errors.Is(err, inbound.ErrInvalidCredentials) {
			t.Fatalf("login failure %d: %v", i+1, err)
		}
	}
	before := h.hasher.verifies.Load()
	right := inbound.ChangePasswordCommand{Principal: pa, CurrentPassword: goodPassword, NewPassword: "a brand new secret"}
	var retry *inbound.RetryAfterError
	if err := h.changePassword.Handle(ctx, right); !errors.Is(err, inbound.ErrTooManyAttempts) || !errors.As(err, &retry) {
		t.Fatalf("after 10 failures, the right password: %v, want too many attempts", err)
	}
	if _, err := h.login.Handle(ctx, inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword}); !errors.Is(err, inbound.ErrTooManyAttempts) {
		t.Fatalf("login after 10 failures: %v, want too many attempts", err)
	}
	if h.hasher.verifies.Load() != before {
		t.Fatal("a locked email must be refused before paying for a hash")
	}
	h.clock.Advance(15 * time.Minute)
	if err := h.changePassword.Handle(ctx, right); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// Every spelling of one mailbox names one account.
func TestOneMailboxOneAccount(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "idn@bücher.example")
	ctx := context.Background()
	for _, email := range []string{"idn@xn--bcher-kva.example", "IDN@BÜCHER.example", "ｉｄｎ@bücher.example"} {
		_, err := h.signup.Handle(ctx, inbound.SignupCommand{Email: email, Password: goodPassword, FullName: "Twin"})
		if !errors.Is(err, user.ErrEmailTaken) {
			t.Errorf("signup %q: %v, want email taken", email, err)
		}
		if _, err := h.login.Handle(ctx, inbound.LoginCommand{Email: email, Password: goodPassword}); err != nil {
			t.Errorf("login %q: %v", email, err)
		}
	}
	h.mustSignup(t, "ada@example.com")
	_, err := h.signup.Handle(ctx, inbound.SignupCommand{Email: "аda@example.com", Password: goodPassword, FullName: "Twin"})
	var ve *validation.Error
	if !errors.As(err, &ve) {
		t.Fatalf("Cyrillic look-alike signup: %v, want a validation error", err)
	}
}
