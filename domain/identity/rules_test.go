package identity_test

import (
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/user"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newID(n byte) ident.UUID {
	var id ident.UUID
	id[6], id[8], id[15] = 0x70, 0x80, n
	return id
}

func account(t *testing.T, n byte, email string, withPassword bool) *user.User {
	t.Helper()
	e, err := user.ParseEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	name, _ := user.ParseFullName("Ada")
	if !withPassword {
		u, err := user.RegisterExternal(user.ID(newID(n)), e, name, true, now)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	hash, _ := user.NewPasswordHash("$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA")
	u, err := user.Register(user.ID(newID(n)), e, name, hash, now)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func disabled(u *user.User) *user.User { u.SetDisabled(true, now); return u }

func claims(email string, verified bool) identity.Claims {
	return identity.Claims{Provider: "google", Subject: "sub-1", Email: email, EmailVerified: verified, Name: "Ada Lovelace"}
}

var open = identity.Policy{LinkByEmail: true, AllowSignup: true}

func TestAKnownIdentityLogsItsUserIn(t *testing.T) {
	owner := account(t, 1, "ada@example.com", true)
	// Neither the email claim nor the policy matters for a known identity.
	d, err := identity.Decide(claims("someone-else@example.com", false), identity.Policy{}, owner, nil)
	if err != nil || d.Action != identity.LogIn || d.User != owner {
		t.Fatalf("Decide = %+v, %v; want LogIn of the owner", d, err)
	}
}

func TestAKnownIdentityOfADisabledAccountIsRefused(t *testing.T) {
	owner := disabled(account(t, 1, "ada@example.com", true))
	if _, err := identity.Decide(claims("ada@example.com", true), open, owner, nil); !errors.Is(err, user.ErrDisabled) {
		t.Fatalf("err = %v, want user.ErrDisabled", err)
	}
}

func TestSameEmailIsLinkedOnlyWhenVerifiedAndAllowed(t *testing.T) {
	existing := account(t, 2, "ada@example.com", true)
	d, err := identity.Decide(claims("ADA@example.com", true), open, nil, existing)
	if err != nil || d.Action != identity.LinkAndLogIn || d.User != existing {
		t.Fatalf("verified email, linking on: %+v, %v; want LinkAndLogIn", d, err)
	}
	if _, err := identity.Decide(claims("ada@example.com", false), open, nil, existing); !errors.Is(err, identity.ErrAccountExists) {
		t.Errorf("unverified email: err = %v, want ErrAccountExists", err)
	}
	noLink := identity.Policy{LinkByEmail: false, AllowSignup: true}
	if _, err := identity.Decide(claims("ada@example.com", true), noLink, nil, existing); !errors.Is(err, identity.ErrAccountExists) {
		t.Errorf("link_by_email off: err = %v, want ErrAccountExists", err)
	}
}

func TestAnUnverifiedClaimLearnsNothingAboutADisabledAccount(t *testing.T) {
	existing := disabled(account(t, 2, "ada@example.com", true))
	if _, err := identity.Decide(claims("ada@example.com", false), open, nil, existing); !errors.Is(err, identity.ErrAccountExists) {
		t.Fatalf("err = %v, want ErrAccountExists", err)
	}
	if _, err := identity.Decide(claims("ada@example.com", true), open, nil, existing); !errors.Is(err, user.ErrDisabled) {
		t.Fatalf("verified email of a disabled account: err = %v, want user.ErrDisabled", err)
	}
}

func TestANewIdentityAndEmailSignUpWhenAllowed(t *testing.T) {
	d, err := identity.Decide(claims(" Ada@Example.com ", false), open, nil, nil)
	if err != nil || d.Action != identity.SignUp || d.User != nil || d.Email.String() != "ada@example.com" {
		t.Fatalf("Decide = %+v, %v; want SignUp with the normalised email", d, err)
	}
	closed := identity.Policy{LinkByEmail: true, AllowSignup: false}
	if _, err := identity.Decide(claims("ada@example.com", true), closed, nil, nil); !errors.Is(err, identity.ErrSignupClosed) {
		t.Errorf("allow_signup off: err = %v, want ErrSignupClosed", err)
	}
	for _, email := range []string{"", "not an address", "Ada <ada@example.com>"} {
		if _, err := identity.Decide(claims(email, true), open, nil, nil); !errors.Is(err, identity.ErrEmailMissing) {
			t.Errorf("email %q: err = %v, want ErrEmailMissing", email, err)
		}
	}
}

func TestDecideRefusesClaimsWithoutASubject(t *testing.T) {
	c := claims("ada@example.com", true)
	c.Subject = ""
	if _, err := identity.Decide(c, open, nil, nil); err == nil {
		t.Fatal("claims without sub were accepted")
	}
}

func TestLinkingWhileSignedIn(t *testing.T) {
	caller := account(t, 1, "ada@example.com", true)
	other := account(t, 2, "bob@example.com", true)
	c := claims("bob@gmail.example", false) // emails need not match, nor be verified
	if a, err := identity.DecideLink(c, caller, nil); err != nil || a != identity.Attach {
		t.Errorf("new identity: %v, %v; want Attach", a, err)
	}
	if a, err := identity.DecideLink(c, caller, caller); err != nil || a != identity.AlreadyLinked {
		t.Errorf("the caller's own identity: %v, %v; want AlreadyLinked", a, err)
	}
	if _, err := identity.DecideLink(c, caller, other); !errors.Is(err, identity.ErrIdentityTaken) {
		t.Errorf("another user's identity: err = %v, want ErrIdentityTaken", err)
	}
	if _, err := identity.DecideLink(c, disabled(account(t, 3, "eve@example.com", true)), nil); !errors.Is(err, user.ErrDisabled) {
		t.Errorf("disabled caller: err = %v, want user.ErrDisabled", err)
	}
}

func linkedTo(t *testing.T, u *user.User, n byte, provider string) *identity.Identity {
	t.Helper()
	c := identity.Claims{Provider: provider, Subject: "sub-" + provider, Email: u.Email().String()}
	i, err := identity.Link(identity.ID(newID(n)), u.ID(), c, now)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func TestTheLastSignInMethodCannotBeRemoved(t *testing.T) {
	passwordless := account(t, 1, "ada@example.com", false)
	only := linkedTo(t, passwordless, 10, "google")
	if _, err := identity.CheckUnlink(passwordless, []*identity.Identity{only}, only.ID()); !errors.Is(err, identity.ErrLastSignInMethod) {
		t.Fatalf("only identity, no password: err = %v, want ErrLastSignInMethod", err)
	}
	second := linkedTo(t, passwordless, 11, "github")
	if got, err := identity.CheckUnlink(passwordless, []*identity.Identity{only, second}, only.ID()); err != nil || got != only {
		t.Fatalf("another identity left: %v, %v; want the identity", got, err)
	}
	withPassword := account(t, 2, "bob@example.com", true)
	sole := linkedTo(t, withPassword, 12, "google")
	if _, err := identity.CheckUnlink(withPassword, []*identity.Identity{sole}, sole.ID()); err != nil {
		t.Fatalf("password left: err = %v", err)
	}
}

func TestUnlinkingAnotherUsersIdentityIsNotFound(t *testing.T) {
	ada := account(t, 1, "ada@example.com", true)
	bob := account(t, 2, "bob@example.com", true)
	bobs := linkedTo(t, bob, 10, "google")
	if _, err := identity.CheckUnlink(ada, []*identity.Identity{bobs}, bobs.ID()); !errors.Is(err, identity.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if _, err := identity.CheckUnlink(ada, nil, bobs.ID()); !errors.Is(err, identity.ErrNotFound) {
		t.Fatalf("no identities: err = %v, want ErrNotFound", err)
	}
}

func TestIdentitySnapshotsRoundTrip(t *testing.T) {
	u := account(t, 1, "ada@example.com", true)
	i := linkedTo(t, u, 10, "google")
	back, err := identity.Rehydrate(i.Snapshot())
	if err != nil || back.Snapshot() != i.Snapshot() || i.Email() != "ada@example.com" {
		t.Fatalf("round trip: %+v, %v", back, err)
	}
	bad := i.Snapshot()
	bad.Provider = "Google!"
	if _, err := identity.Rehydrate(bad); err == nil {
		t.Fatal("a corrupt provider name rehydrated")
	}
}

func TestProviderNames(t *testing.T) {
	for _, ok := range []string{"google", "azure_ad", "idp2"} {
		if !identity.ValidProviderName(ok) {
			t.Errorf("%q refused", ok)
		}
	}
	for _, bad := range []string{"", "Google", "2fa", "my-idp", "a.b", "x/y", "abcdefghijklmnopqrstuvwxyzabcdefg"} {
		if identity.ValidProviderName(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestFullNameFromClaims(t *testing.T) {
	email, _ := user.ParseEmail("ada.l@example.com")
	cases := map[string]string{
		"  Ada Lovelace ":       "Ada Lovelace",
		"Ada\x00\u0007 L":       "Ada L",
		"":                      "ada.l",
		"\x01\x02":              "ada.l",
		string(make([]byte, 0)): "ada.l",
	}
	for in, want := range cases {
		if got := (identity.Claims{Name: in}).FullName(email).String(); got != want {
			t.Errorf("FullName(%q) = %q, want %q", in, got, want)
		}
	}
	long := ""
	for range 150 {
		long += "é"
	}
	if got := (identity.Claims{Name: long}).FullName(email).String(); len([]rune(got)) != user.MaxFullNameLength {
		t.Errorf("a long name kept %d characters, want %d", len([]rune(got)), user.MaxFullNameLength)
	}
}
