package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
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
