package application_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

var open = identity.Policy{LinkByEmail: true, AllowSignup: true}

func claimsFor(sub, email string, verified bool) identity.Claims {
	return identity.Claims{Subject: sub, Email: email, EmailVerified: verified, Name: "Ada Lovelace"}
}

func TestStartRefusesUnknownProvidersAndForeignRedirects(t *testing.T) {
	h := newOIDCHarness(t, open)
	ctx := context.Background()
	if _, err := h.start.Handle(ctx, inbound.StartSignInCommand{Provider: "nope", RedirectTo: appURL}); !errors.Is(err, inbound.ErrUnknownProvider) {
		t.Errorf("unknown provider: err = %v", err)
	}
	if _, err := h.start.Handle(ctx, inbound.StartSignInCommand{Provider: "google", RedirectTo: "https://evil.example/signed-in"}); !errors.Is(err, identity.ErrRedirectNotAllowed) {
		t.Errorf("foreign redirect: err = %v", err)
	}
}

func TestAnUnreachableProviderSendsTheBrowserBackWithProviderError(t *testing.T) {
	h := newOIDCHarness(t, open)
	h.idp.down = true
	s, err := h.start.Handle(context.Background(), inbound.StartSignInCommand{Provider: "google", RedirectTo: appURL})
	if err != nil || s.URL != appURL+"#error=provider_error" || s.Binding != "" || s.Outcome != "provider_error" {
		t.Fatalf("start = %+v, %v", s, err)
	}
}

func TestANewIdentitySignsUpWithoutAPassword(t *testing.T) {
	h := newOIDCHarness(t, open)
	r, pair := h.signIn(t, claimsFor("s1", "Ada@Example.com", true))
	if r.Outcome != "signup" || r.Provider != "google" {
		t.Fatalf("outcome %q", r.Outcome)
	}
	u := pair.User
	if u.Email().String() != "ada@example.com" || u.HasPassword() || !u.EmailVerified() || u.Role() != user.RoleUser || u.FullName().String() != "Ada Lovelace" {
		t.Fatalf("new account: %+v", u.Snapshot())
	}
	if _, err := h.authenticate(pair.AccessToken); err != nil {
		t.Fatalf("the exchanged access token does not authenticate: %v", err)
	}
	if got := h.eventTypes(t); !slices.Equal(got, []audit.Type{audit.Signup, audit.IdentityLinked, audit.OIDCLogin}) {
		t.Fatalf("events %v", got)
	}
	last := h.events(t)[2]
	if last.Detail["provider"] != "google" || last.SessionID.IsZero() {
		t.Fatalf("oidc_login event %+v", last)
	}
	// The provider's word on the email is kept: unverified stays unverified.
	_, pair = h.signIn(t, claimsFor("s2", "bob@example.com", false))
	if pair.User.EmailVerified() {
		t.Fatal("an unverified provider email was marked verified")
	}
}

func TestAKnownIdentityLogsItsUserInAgain(t *testing.T) {
	h := newOIDCHarness(t, open)
	_, first := h.signIn(t, claimsFor("s1", "ada@example.com", true))
	// The provider may report another email later; the identity decides.
	r, again := h.signIn(t, claimsFor("s1", "ada@new.example", false))
	if r.Outcome != "login" || again.User.ID() != first.User.ID() || sessionIDOf(t, again) == sessionIDOf(t, first) {
		t.Fatalf("second sign-in: outcome %q, user %s (want %s), new session", r.Outcome, again.User.ID(), first.User.ID())
	}
}

func TestAVerifiedEmailLinksTheExistingAccount(t *testing.T) {
	h := newOIDCHarness(t, open)
	existing := h.mustSignup(t, "ada@example.com")
	r, pair := h.signIn(t, claimsFor("s1", "ADA@example.com", true))
	if r.Outcome != "linked_by_email" || pair.User.ID() != existing.User.ID() || !pair.User.HasPassword() {
		t.Fatalf("outcome %q, user %s", r.Outcome, pair.User.ID())
	}
	ids, err := h.list.Handle(context.Background(), inbound.ListIdentitiesQuery{Principal: h.principal(t, pair)})
	if err != nil || len(ids) != 1 || ids[0].Provider() != "google" || ids[0].Subject() != "s1" {
		t.Fatalf("identities %v, %v", ids, err)
	}
}

// The provider's email goes through the same normal form as a signup's, so
// an internationalised domain links the account stored under its A-labels,
// and a look-alike address counts as no email at all.
func TestAProviderEmailIsComparedInItsNormalForm(t *testing.T) {
	h := newOIDCHarness(t, open)
	existing := h.mustSignup(t, "idn@xn--bcher-kva.example")
	r, pair := h.signIn(t, claimsFor("s1", "IDN@Bücher.example", true))
	if r.Outcome != "linked_by_email" || pair.User.ID() != existing.User.ID() {
		t.Fatalf("outcome %q, user %s: the IDN domain did not match its A-label form", r.Outcome, pair.User.ID())
	}

	h.mustSignup(t, "apple@example.com")
	h.idp.queue(claimsFor("s2", "apple@аррӏе.example", true)) // Cyrillic look-alike domain
	got, err := h.back(t, h.begin(t, "google"))
	// No usable email for a new account: the sign-in ends as the contract's
	// provider_error, and no account is made for the look-alike.
	wantError(t, got, err, "provider_error")
}

func TestAnUnverifiedEmailOfAnExistingAccountIsRefused(t *testing.T) {
	h := newOIDCHarness(t, open)
	h.mustSignup(t, "ada@example.com")
	h.idp.queue(claimsFor("s1", "ada@example.com", false))
	r, err := h.back(t, h.begin(t, "google"))
	wantError(t, r, err, "account_exists")
	// Nothing was linked, and nobody learns more: no event for the account.
	for _, e := range h.events(t) {
		if e.Type == audit.IdentityLinked || e.Type == audit.LoginFailed {
			t.Fatalf("unexpected event %+v", e)
		}
	}
}

func TestLinkingByEmailOffAndSignupOff(t *testing.T) {
	h := newOIDCHarness(t, identity.Policy{LinkByEmail: false, AllowSignup: false})
	existing := h.mustSignup(t, "ada@example.com")
	h.idp.queue(claimsFor("s1", "ada@example.com", true))
	r, err := h.back(t, h.begin(t, "google"))
	wantError(t, r, err, "account_exists")
	failed := h.events(t)[len(h.events(t))-1]
	if failed.Type != audit.LoginFailed || failed.UserID != existing.User.ID() || failed.Detail["reason"] != "account_exists" {
		t.Fatalf("last event %+v", failed)
	}
	h.idp.queue(claimsFor("s2", "new@example.com", true))
	r, err = h.back(t, h.begin(t, "google"))
	wantError(t, r, err, "access_denied")
}

func TestADisabledAccountCannotSignIn(t *testing.T) {
	h := newOIDCHarness(t, open)
	_, pair := h.signIn(t, claimsFor("s1", "ada@example.com", true))
	_, err := h.store.Users().Update(context.Background(), pair.User.ID(), func(u *user.User) error {
		u.SetDisabled(true, t0)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.idp.queue(claimsFor("s1", "ada@example.com", true))
	r, err := h.back(t, h.begin(t, "google"))
	wantError(t, r, err, "user_disabled")
}

func TestAStateIsUsedOnceAndOnlyWithItsCookie(t *testing.T) {
	h := newOIDCHarness(t, open)
	f := h.begin(t, "google")
	stolen := f
	stolen.binding = ""
	r, err := h.back(t, stolen)
	wantError(t, r, err, "state_invalid")
	// The state was spent by that attempt: the real browser is refused too,
	// and with no trusted destination left, it is an error, not a redirect.
	if _, err := h.back(t, f); !errors.Is(err, inbound.ErrStateInvalid) {
		t.Fatalf("replayed state: err = %v", err)
	}
	f = h.begin(t, "google")
	wrong := f
	wrong.binding = "another browser's cookie"
	r, err = h.back(t, wrong)
	wantError(t, r, err, "state_invalid")

	for _, state := range []string{"", "never-issued"} {
		if _, err := h.back(t, flow{state: state, code: "x", binding: "y"}); !errors.Is(err, inbound.ErrStateInvalid) {
			t.Errorf("state %q: err = %v", state, err)
		}
	}
}

func TestAStateExpiresAfterTenMinutes(t *testing.T) {
	h := newOIDCHarness(t, open)
	f := h.begin(t, "google")
	h.clock.Advance(identity.StateLifetime)
	if _, err := h.back(t, f); !errors.Is(err, inbound.ErrStateInvalid) {
		t.Fatalf("expired state: err = %v", err)
	}
}

func TestTheCallbackMustComeFromTheFlowsProvider(t *testing.T) {
	h := newOIDCHarness(t, open)
	f := h.begin(t, "other")
	r, err := h.back(t, f) // back() names "google" in the path
	wantError(t, r, err, "state_invalid")
}

func TestProviderErrorsAndRefusals(t *testing.T) {
	h := newOIDCHarness(t, open)
	ctx := context.Background()
	f := h.begin(t, "google")
	r, err := h.complete.Handle(ctx, inbound.CompleteSignInCommand{Provider: "google", State: f.state, ProviderError: "access_denied", Binding: f.binding})
	wantError(t, r, err, "access_denied")

	f = h.begin(t, "google")
	r, err = h.complete.Handle(ctx, inbound.CompleteSignInCommand{Provider: "google", State: f.state, ProviderError: "server_error", Binding: f.binding})
	wantError(t, r, err, "provider_error")

	f = h.begin(t, "google")
	f.code = "a code the provider never issued"
	r, err = h.back(t, f)
	wantError(t, r, err, "provider_error")

	f = h.begin(t, "google")
	f.code = ""
	r, err = h.back(t, f)
	wantError(t, r, err, "provider_error")
}
