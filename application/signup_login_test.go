package application_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/domain/validation"
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
	_, err := h.signup.Handle(context.Background(), inbound.SignupCommand{Email: "ADA@example.com", Password: goodPassword, FullName: "A"})
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
			_, err := h.signup.Handle(context.Background(), tc.cmd)
			var ve *validation.Error
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
	_, err := h.signup.Handle(context.Background(), inbound.SignupCommand{Email: "a@example.com", Password: "日本語のパスワド", FullName: "Ada"})
	if err != nil {
		t.Fatalf("8 code points must pass: %v", err)
	}
	_, err = h.signup.Handle(context.Background(), inbound.SignupCommand{Email: "b@example.com", Password: "日本語のパスワ", FullName: "Ada"})
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
			h.login.Handle(context.Background(), cmd) // warm the decoy hash
			before := h.hasher.verifies.Load()
			_, err := h.login.Handle(context.Background(), cmd)
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
	login := h.newLogin(failingUsers{err: outage}, h.settings.sessions)
	_, err := login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
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
	h.clock.Advance(time.Second)
	second := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(time.Second)
	third := h.mustLogin(t, "ada@example.com")
	h.clock.Advance(time.Second)
	// Using the first session makes the second the least recently used,
	// although the first is the oldest login.
	first = mustRefresh(t, h, first.RefreshToken)
	h.clock.Advance(time.Second)
	if types := h.eventTypes(t); slices.Contains(types, audit.SessionRevoked) {
		t.Fatalf("up to the cap nothing is evicted: events %v", types)
	}
	fourth := h.mustLogin(t, "ada@example.com")

	secondID := sessionIDOf(t, second)
	if _, err := h.authenticate(second.AccessToken); !errors.Is(err, session.ErrRevoked) {
		t.Fatalf("LRU session: err = %v, want revoked", err)
	}
	if got := h.storedSession(t, secondID).RevokeReason(); got != session.ReasonEvicted {
		t.Fatalf("LRU session revoked for %q, want %q", got, session.ReasonEvicted)
	}
	for _, live := range []inbound.TokenPair{first, third, fourth} {
		h.principal(t, live)
	}
	active, err := h.store.Sessions().ListActive(context.Background(), first.User.ID(), h.clock.Now())
	if err != nil || len(active) != 3 {
		t.Fatalf("active sessions after the login: %d, %v; want the cap, 3", len(active), err)
	}

	events := h.events(t)
	last := events[len(events)-1]
	if events[len(events)-2].Type != audit.LoginSucceeded || last.Type != audit.SessionRevoked {
		t.Fatalf("events %v: want login_succeeded then one session_revoked", h.eventTypes(t))
	}
	if last.UserID != first.User.ID() || last.Detail["reason"] != "session_cap" || last.Detail["count"] != "1" {
		t.Fatalf("eviction event %+v: want the user, reason session_cap, count 1", last)
	}
	if n := countEvents(events, audit.SessionRevoked); n != 1 {
		t.Fatalf("%d session_revoked events, want 1", n)
	}
}

func TestLoginEvictsEverySessionBeyondALoweredCap(t *testing.T) {
	h := newHarness(t) // cap 3
	old := []inbound.TokenPair{h.mustSignup(t, "ada@example.com")}
	for range 2 {
		h.clock.Advance(time.Second)
		old = append(old, h.mustLogin(t, "ada@example.com"))
	}
	h.clock.Advance(time.Second)
	// The operator lowers the cap to 1: the next login keeps only itself.
	rules := h.settings.sessions
	rules.MaxPerUser = 1
	pair, err := h.newLogin(h.store.Users(), rules).Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	h.principal(t, pair)
	for i, p := range old {
		if _, err := h.authenticate(p.AccessToken); !errors.Is(err, session.ErrRevoked) {
			t.Fatalf("old session %d: err = %v, want revoked", i, err)
		}
	}
	events := h.events(t)
	last := events[len(events)-1]
	if last.Type != audit.SessionRevoked || last.Detail["reason"] != "session_cap" || last.Detail["count"] != "3" {
		t.Fatalf("eviction event %+v: want one session_revoked, reason session_cap, count 3", last)
	}
	if n := countEvents(events, audit.SessionRevoked); n != 1 {
		t.Fatalf("%d session_revoked events, want one for all three", n)
	}
}

func TestLoginRechecksTheAccountUnderItsLock(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	// An administrator disables the account while its password is being
	// verified: the login must not open a session.
	h.hasher.onVerify = func() { disable(t, h, pair) }
	_, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
	h.hasher.onVerify = nil
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("err = %v, want invalid credentials", err)
	}
	active, err := h.store.Sessions().ListActive(context.Background(), pair.User.ID(), h.clock.Now())
	if err != nil || len(active) != 1 {
		t.Fatalf("active sessions: %d, %v; want only the signup's", len(active), err)
	}
	if types := h.eventTypes(t); slices.Contains(types, audit.LoginSucceeded) {
		t.Fatalf("events %v: no login may be recorded", types)
	}
}

func TestLoginOfAnAccountDeletedMeanwhileIsInvalidCredentials(t *testing.T) {
	h := newHarness(t)
	pair := h.mustSignup(t, "ada@example.com")
	// The account is deleted while its password is being verified: the
	// answer stays the login's own, never a 404 for a user.
	h.hasher.onVerify = func() {
		if err := h.store.Users().Delete(context.Background(), pair.User.ID()); err != nil {
			t.Error(err)
		}
	}
	_, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: "ada@example.com", Password: goodPassword})
	h.hasher.onVerify = nil
	if !errors.Is(err, inbound.ErrInvalidCredentials) {
		t.Fatalf("err = %v, want invalid credentials", err)
	}
}

func TestSignupStorageInvariantBreachIsAnInternalError(t *testing.T) {
	h := newHarness(t)
	// An id generator that repeats itself makes the second signup add a
	// user whose id is taken: a broken invariant, not the client's fault.
	signup := application.NewSignup(h.store.Users(), h.store.Transactor(), h.hasher, h.access, h.tokens, h.clock,
		sameID{}, h.settings.sessions, h.settings.password, h.emails, nil, application.VerificationOff)
	ctx := context.Background()
	if _, err := signup.Handle(ctx, inbound.SignupCommand{Email: "ada@example.com", Password: goodPassword, FullName: "Ada"}); err != nil {
		t.Fatal(err)
	}
	_, err := signup.Handle(ctx, inbound.SignupCommand{Email: "bob@example.com", Password: goodPassword, FullName: "Bob"})
	var ve *validation.Error
	if err == nil || errors.As(err, &ve) || errors.Is(err, user.ErrEmailTaken) {
		t.Fatalf("err = %v, want an internal error", err)
	}
	if _, err := h.store.Users().FindByEmail(ctx, mustEmail(t, "bob@example.com")); !errors.Is(err, user.ErrNotFound) {
		t.Fatalf("the failed signup left a user behind: %v", err)
	}
}

func TestUserAgentIsBoundedInSessionAndAudit(t *testing.T) {
	h := newHarness(t)
	ua := strings.Repeat("日", 200) // 600 bytes, three per character
	pair, err := h.signup.Handle(context.Background(), inbound.SignupCommand{
		Email: "ada@example.com", Password: goodPassword, FullName: "Ada", Client: inbound.Client{UserAgent: ua},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Repeat("日", 170) // 510 bytes: 512 would split a character
	if got := h.storedSession(t, h.principal(t, pair).SessionID).UserAgent(); got != want {
		t.Fatalf("session user agent: %d bytes, want %d", len(got), len(want))
	}
	if got := h.events(t)[0].UserAgent; got != want {
		t.Fatalf("audit user agent: %d bytes, want %d", len(got), len(want))
	}
}

// sameID always yields the same id.
type sameID struct{}

func (sameID) NewID() ident.UUID { return ident.UUID{6: 0x70, 8: 0x80, 15: 1} }

func countEvents(events []audit.Event, t audit.Type) int {
	n := 0
	for _, e := range events {
		if e.Type == t {
			n++
		}
	}
	return n
}

func mustEmail(t *testing.T, s string) user.Email {
	t.Helper()
	e, err := user.ParseEmail(s)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustFind(t *testing.T, h *harness, email string) *user.User {
	t.Helper()
	u, err := h.store.Users().FindByEmail(context.Background(), mustEmail(t, email))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

type failingUsers struct{ err error }

var _ outbound.UserRepository = failingUsers{}

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
