package application_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/onetime"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

func TestLinkingWhileSignedIn(t *testing.T) {
	h := newOIDCHarness(t, open)
	ctx := context.Background()
	ada := h.principal(t, h.mustSignup(t, "ada@example.com"))
	link := func(c identity.Claims) (inbound.SignInResult, error) {
		h.idp.queue(c)
		s, err := h.startLnk.Handle(ctx, inbound.StartLinkCommand{Principal: ada, Provider: "google", RedirectTo: appURL})
		if err != nil {
			t.Fatal(err)
		}
		return h.back(t, h.asBrowser(t, s))
	}
	// Another email, unverified even: the caller proves both accounts.
	r, err := link(claimsFor("ada-at-google", "ada.l@gmail.example", false))
	if err != nil || r.RedirectURL != appURL+"#linked=google" || r.Outcome != "linked" {
		t.Fatalf("link: %+v, %v", r, err)
	}
	// Linking it again changes nothing and succeeds.
	if r, err := link(claimsFor("ada-at-google", "ada.l@gmail.example", false)); err != nil || r.Outcome != "linked" {
		t.Fatalf("relink: %+v, %v", r, err)
	}
	// Someone else's identity stays theirs.
	h.signIn(t, claimsFor("bob-at-google", "bob@example.com", true))
	r, err = link(claimsFor("bob-at-google", "bob@example.com", true))
	wantError(t, r, err, "identity_taken")

	ids, err := h.list.Handle(ctx, inbound.ListIdentitiesQuery{Principal: ada})
	if err != nil || len(ids) != 1 || ids[0].Subject() != "ada-at-google" || ids[0].Email() != "ada.l@gmail.example" {
		t.Fatalf("identities %v, %v", ids, err)
	}
	// The identity now signs Ada in.
	if r, pair := h.signIn(t, claimsFor("ada-at-google", "whatever@example.com", true)); r.Outcome != "login" || pair.User.ID() != ada.User.ID() {
		t.Fatalf("sign-in with the linked identity: %q as %s", r.Outcome, pair.User.ID())
	}
}

func TestALoginCodeIsExchangedOnceWithinSixtySeconds(t *testing.T) {
	h := newOIDCHarness(t, open)
	ctx := context.Background()
	code := func() string {
		h.idp.queue(claimsFor("s1", "ada@example.com", true))
		r, err := h.back(t, h.begin(t, "google"))
		if err != nil {
			t.Fatal(err)
		}
		_, v := fragment(t, r)
		return v
	}
	c := code()
	if _, err := h.exchange.Handle(ctx, inbound.ExchangeLoginCodeCommand{Code: c}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.exchange.Handle(ctx, inbound.ExchangeLoginCodeCommand{Code: c}); !errors.Is(err, onetime.ErrInvalid) {
		t.Fatalf("second exchange: err = %v", err)
	}
	c = code()
	h.clock.Advance(identity.LoginCodeLifetime)
	if _, err := h.exchange.Handle(ctx, inbound.ExchangeLoginCodeCommand{Code: c}); !errors.Is(err, onetime.ErrInvalid) {
		t.Fatalf("code after 60 s: err = %v", err)
	}
	for _, bad := range []string{"", "unknown", string(make([]byte, 200))} {
		if _, err := h.exchange.Handle(ctx, inbound.ExchangeLoginCodeCommand{Code: bad}); !errors.Is(err, onetime.ErrInvalid) {
			t.Errorf("code %q: err = %v", bad, err)
		}
	}
}

func TestAnAccountDisabledBeforeTheExchangeGetsNoSession(t *testing.T) {
	h := newOIDCHarness(t, open)
	_, pair := h.signIn(t, claimsFor("s1", "ada@example.com", true))
	h.idp.queue(claimsFor("s1", "ada@example.com", true))
	r, err := h.back(t, h.begin(t, "google"))
	if err != nil {
		t.Fatal(err)
	}
	_, code := fragment(t, r)
	if _, err := h.store.Users().Update(context.Background(), pair.User.ID(), func(u *user.User) error {
		u.SetDisabled(true, t0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.exchange.Handle(context.Background(), inbound.ExchangeLoginCodeCommand{Code: code}); !errors.Is(err, user.ErrDisabled) {
		t.Fatalf("exchange for a disabled account: err = %v", err)
	}
}

func TestTheLastSignInMethodStays(t *testing.T) {
	h := newOIDCHarness(t, open)
	ctx := context.Background()
	_, pair := h.signIn(t, claimsFor("s1", "ada@example.com", true))
	p := h.principal(t, pair)
	only, err := h.list.Handle(ctx, inbound.ListIdentitiesQuery{Principal: p})
	if err != nil || len(only) != 1 {
		t.Fatal(only, err)
	}
	if err := h.unlink.Handle(ctx, inbound.UnlinkIdentityCommand{Principal: p, IdentityID: only[0].ID()}); !errors.Is(err, identity.ErrLastSignInMethod) {
		t.Fatalf("unlinking the only method: err = %v", err)
	}
	// A second identity makes the first removable.
	s, err := h.startLnk.Handle(ctx, inbound.StartLinkCommand{Principal: p, Provider: "google", RedirectTo: appURL})
	if err != nil {
		t.Fatal(err)
	}
	h.idp.queue() // default claims: another subject
	if r, err := h.back(t, h.asBrowser(t, s)); err != nil || r.Outcome != "linked" {
		t.Fatalf("second link: %+v, %v", r, err)
	}
	if err := h.unlink.Handle(ctx, inbound.UnlinkIdentityCommand{Principal: p, IdentityID: only[0].ID()}); err != nil {
		t.Fatalf("unlink with another identity left: %v", err)
	}
	if got := h.eventTypes(t); got[len(got)-1] != audit.IdentityUnlinked {
		t.Fatalf("events %v", got)
	}
	// Another user's identity is not found.
	bob := h.principal(t, h.mustSignup(t, "bob@example.com"))
	left, _ := h.list.Handle(ctx, inbound.ListIdentitiesQuery{Principal: p})
	if err := h.unlink.Handle(ctx, inbound.UnlinkIdentityCommand{Principal: bob, IdentityID: left[0].ID()}); !errors.Is(err, identity.ErrNotFound) {
		t.Fatalf("another user's identity: err = %v", err)
	}
}

func TestAPasswordlessAccountRefusesPasswordsAfterTheDecoy(t *testing.T) {
	h := newOIDCHarness(t, open)
	_, pair := h.signIn(t, claimsFor("s1", "ada@example.com", true))
	before := h.hasher.verifies.Load()
	_, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("password login: err = %v", err)
	}
	if h.hasher.verifies.Load() != before+1 {
		t.Fatal("the refusal paid no hash: timing would tell the account has no password")
	}
	err = h.changePassword.Handle(context.Background(), inbound.ChangePasswordCommand{
		Principal: h.principal(t, pair), CurrentPassword: "anything at all", NewPassword: "a brand new passphrase",
	})
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("password change: err = %v", err)
	}
}

func TestSweepersRemoveExpiredFlowsAndCodes(t *testing.T) {
	h := newOIDCHarness(t, open)
	h.begin(t, "google")
	h.idp.queue(claimsFor("s1", "ada@example.com", true))
	if _, err := h.back(t, h.begin(t, "google")); err != nil { // leaves a login code
		t.Fatal(err)
	}
	ctx := context.Background()
	flows, codes := h.store.FlowStates(), h.store.LoginCodes()
	if n, _ := flows.Sweep(ctx, h.clock.Now(), 10); n != 0 {
		t.Fatalf("swept %d live flows", n)
	}
	later := h.clock.Now().Add(identity.StateLifetime + time.Second)
	if n, err := codes.Sweep(ctx, later, 10); err != nil || n != 1 || codes.Name() != "oidc_login_codes" {
		t.Fatalf("codes swept %d, %v", n, err)
	}
	if n, err := flows.Sweep(ctx, later, 10); err != nil || n != 1 || flows.Name() != "oidc_flow_states" {
		t.Fatalf("flows swept %d, %v", n, err)
	}
}
