package application_test

import (
	"context"
	"errors"
	"testing"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

func TestSignupCreatesPlainUserWithSession(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "  Ada@Example.COM ")

	if got := pair.User.Email().String(); got != "ada@example.com" {
		t.Fatalf("email stored as %q, want normalised", got)
	}
	if pair.User.Role() != user.RoleUser {
		t.Fatalf("role = %q, want user", pair.User.Role())
	}
	if pair.RefreshToken == "" || pair.AccessToken == "" {
		t.Fatal("signup must return both tokens")
	}
	if !pair.RefreshExpiresAt.Equal(t0.Add(7 * 24 * 3600e9)) {
		t.Fatalf("refresh expiry = %v, want idle deadline", pair.RefreshExpiresAt)
	}
	p := h.principal(t, pair)
	if p.User.ID() != pair.User.ID() {
		t.Fatal("access token must authenticate the new user")
	}
}

func TestSignupRefusesTakenEmailCaseInsensitively(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	_, err := h.signup.Signup(context.Background(), inbound.SignupCommand{Email: "ADA@example.com", Password: goodPassword, FullName: "A"})
	if !errors.Is(err, user.ErrEmailTaken) {
		t.Fatalf("err = %v, want ErrEmailTaken", err)
	}
}

func TestSignupReportsEveryInvalidField(t *testing.T) {
	h := newHarness(t)
	mismatch := "something else"
	cases := []struct {
		name  string
		cmd   inbound.SignupCommand
		field string
	}{
		{"bad email", inbound.SignupCommand{Email: "Ada <ada@example.com>", Password: goodPassword, FullName: "Ada"}, "email"},
		{"short password", inbound.SignupCommand{Email: "a@example.com", Password: "short", FullName: "Ada"}, "password"},
		{"common password", inbound.SignupCommand{Email: "a@example.com", Password: "PASSWORD", FullName: "Ada"}, "password"},
		{"local part in password", inbound.SignupCommand{Email: "adalove@example.com", Password: "my-ADALOVE-pass", FullName: "Ada"}, "password"},
		{"too long password", inbound.SignupCommand{Email: "a@example.com", Password: string(make([]rune, 129)), FullName: "Ada"}, "password"},
		{"blank name", inbound.SignupCommand{Email: "a@example.com", Password: goodPassword, FullName: "   "}, "fullName"},
		{"control char in name", inbound.SignupCommand{Email: "a@example.com", Password: goodPassword, FullName: "Ada\x07"}, "fullName"},
		{"confirm mismatch", inbound.SignupCommand{Email: "a@example.com", Password: goodPassword, FullName: "Ada", PasswordConfirm: &mismatch}, "passwordConfirm"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := h.signup.Signup(context.Background(), tc.cmd)
			var ve *user.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want validation error", err)
			}
			if len(ve.Fields) != 1 || ve.Fields[0].Field != tc.field {
				t.Fatalf("fields = %+v, want exactly %q", ve.Fields, tc.field)
			}
		})
	}
}

func TestSignupAcceptsPasswordOfExactlyMinLengthInCodePoints(t *testing.T) {
	h := newHarness(t)
	// Eight code points, 24 bytes: the rule counts characters, not bytes.
	_, err := h.signup.Signup(context.Background(), inbound.SignupCommand{Email: "a@example.com", Password: "日本語のパスワド", FullName: "Ada"})
	if err != nil {
		t.Fatalf("8 code points must pass: %v", err)
	}
	_, err = h.signup.Signup(context.Background(), inbound.SignupCommand{Email: "b@example.com", Password: "日本語のパスワ", FullName: "Ada"})
	if err == nil {
		t.Fatal("7 code points (21 bytes) must be too short")
	}
}

func TestLoginFailuresAreIndistinguishableAndPayOneHash(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	h.mustSignup(t, "off@example.com")
	if _, err := h.store.Users().Update(context.Background(), mustFind(t, h, "off@example.com").ID(), func(u *user.User) error {
		u.SetDisabled(true, t0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]inbound.LoginCommand{
		"unknown email":  {Email: "nobody@example.com", Password: goodPassword},
		"wrong password": {Email: "ada@example.com", Password: "not the password"},
		"disabled user":  {Email: "off@example.com", Password: goodPassword},
	}
	for name, cmd := range cases {
		t.Run(name, func(t *testing.T) {
			h.login.Login(context.Background(), cmd) // warm the decoy hash
			before := h.hasher.verifies.Load()
			_, err := h.login.Login(context.Background(), cmd)
			if !errors.Is(err, inbound.ErrInvalidCredentials) {
				t.Fatalf("err = %v, want ErrInvalidCredentials", err)
			}
			if n := h.hasher.verifies.Load() - before; n != 1 {
				t.Fatalf("%d hash verifications, want exactly 1", n)
			}
		})
	}
}

func TestLoginStorageOutageIsNotInvalidCredentials(t *testing.T) {
	h := newHarness(t)
	outage := errors.New("connection refused")
	d := h.deps
	d.Users = failingUsers{err: outage}
	login := application.NewLogin(d)
	_, err := login.Login(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
	if !errors.Is(err, outage) || errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("err = %v, want the outage, not invalid credentials", err)
	}
}

func TestLoginOpensNewSessionEachTime(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	a := h.mustLogin(t, "ada@example.com")
	b := h.mustLogin(t, "ada@example.com")
	if h.principal(t, a).SessionID == h.principal(t, b).SessionID {
		t.Fatal("every login must create a new session")
	}
}

func TestLoginUpgradesOutdatedHash(t *testing.T) {
	h := newHarness(t)
	h.mustSignup(t, "ada@example.com")
	old := mustFind(t, h, "ada@example.com").PasswordHash().PHC()
	h.hasher.version = 3 // the operator raised the cost parameters
	h.mustLogin(t, "ada@example.com")
	upgraded := mustFind(t, h, "ada@example.com").PasswordHash().PHC()
	if upgraded == old || upgraded[:10] != "$fake$v=3$" {
		t.Fatalf("hash not upgraded: %q -> %q", old, upgraded)
	}
	h.mustLogin(t, "ada@example.com") // and the new hash still verifies
}

func TestLoginEvictsLeastRecentlyUsedSessionBeyondCap(t *testing.T) {
	h := newHarness(t) // cap 3
	first := h.mustSignup(t, "ada@example.com")
	h.clock.Advance(1)
	second := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(1)
	third := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(1)
	// Using the first session makes the second the least recently used.
	first = mustRefresh(t, h, first.RefreshToken)
	h.clock.Advance(1)
	h.mustLogin(t, "ada@example.com")

	if _, err := h.auth.Authenticate(context.Background(), second.AccessToken); !errors.Is(err, inbound.ErrSessionRevoked) {
		t.Fatalf("LRU session: err = %v, want revoked", err)
	}
	for _, live := range []inbound.TokenPair{first, third} {
		h.principal(t, live)
	}
}

func mustFind(t *testing.T, h *harness, email string) *user.User {
	t.Helper()
	e, err := user.ParseEmail(email)
	if err != nil {
		t.Fatal(err)
	}
	u, err := h.store.Users().FindByEmail(context.Background(), e)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

type failingUsers struct{ err error }

func (f failingUsers) Add(context.Context, *user.User) error { return f.err }
func (f failingUsers) Get(context.Context, user.ID) (*user.User, error) {
	return nil, f.err
}
func (f failingUsers) FindByEmail(context.Context, user.Email) (*user.User, error) {
	return nil, f.err
}
func (f failingUsers) Update(context.Context, user.ID, func(*user.User) error) (*user.User, error) {
	return nil, f.err
}
func (f failingUsers) Delete(context.Context, user.ID) error { return f.err }
func (f failingUsers) List(context.Context, outbound.UserQuery) ([]*user.User, error) {
	return nil, f.err
}
