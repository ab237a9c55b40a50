package application_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/idn"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/application"
	"github.com/authd/authd/domain/audit"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

var t0 = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

// settings are the rules the harness builds its use cases with; a test may
// change them through newHarness's tweaks.
type settings struct {
	sessions application.SessionRules
	lockout  application.LockoutRules
	password user.PasswordPolicy
	// verification is the auth.email_verification mode (off unless a test
	// says otherwise); mailOff turns mail off as production without SMTP.
	verification application.EmailVerification
	mailOff      bool
	lifetimes    application.SecretLifetimes
}

// harness wires every use case to the memory adapters and small fakes for
// the crypto ports, with a clock the test controls. It keeps the ports, so
// that a test can build a use case of its own over the same store.
type harness struct {
	store      *memory.Store
	clock      *system.ManualClock
	ids        *memory.IDs
	hasher     *fakeHasher
	access     *fakeAccess
	tokens     fakeRefresh
	failures   *memory.LoginFailures
	emails     *idn.Normalizer
	principals compose.PrincipalLookup
	settings   settings
	mail       mailPorts

	signup         *application.Signup
	login          *application.Login
	refresh        *application.Refresh
	logout         *application.Logout
	auth           *application.Authenticate
	listSessions   *application.ListSessions
	revokeSession  *application.RevokeSession
	logoutAll      *application.LogoutAll
	revokeOthers   *application.RevokeOtherSessions
	changePassword *application.ChangePassword
	createUser     *application.CreateUser
}

func newHarness(t *testing.T, tweak ...func(*settings)) *harness {
	t.Helper()
	store := memory.NewStore()
	clock := system.NewManualClock(t0)
	cfg := settings{
		sessions: application.SessionRules{
			Policy:     session.Policy{IdleTimeout: 7 * 24 * time.Hour, MaxLifetime: 30 * 24 * time.Hour, ReuseGrace: 10 * time.Second},
			MaxPerUser: 3,
		},
		lockout:  application.LockoutRules{MaxFailures: 10, Window: 15 * time.Minute},
		password: user.PasswordPolicy{MinLength: 8, Blocklist: blocklist{"password", "123456789"}},

		verification: application.VerificationOff,
		lifetimes:    application.SecretLifetimes{Verification: 24 * time.Hour, Reset: 30 * time.Minute, EmailChange: time.Hour},
	}
	for _, f := range tweak {
		f(&cfg)
	}
	h := &harness{
		store: store, clock: clock, ids: &memory.IDs{}, hasher: &fakeHasher{version: 2},
		access: &fakeAccess{clock: clock, ttl: 15 * time.Minute}, failures: memory.NewLoginFailures(), emails: idn.New(),
		principals: compose.PrincipalLookup{Sessions: store.Sessions(), Users: store.Users()},
		settings:   cfg,
	}
	users, tx := store.Users(), store.Transactor()
	h.mail = newMailPorts(t, h, cfg)
	h.signup = application.NewSignup(users, tx, h.hasher, h.access, h.tokens, clock, h.ids, cfg.sessions, cfg.password,
		h.emails, h.mail.issuer, cfg.verification)
	h.login = h.newLogin(users, cfg.sessions)
	h.refresh = application.NewRefresh(tx, h.access, h.tokens, clock, h.ids, cfg.sessions)
	h.logout = application.NewLogout(tx, h.tokens, clock, h.ids)
	h.auth = application.NewAuthenticate(h.access, h.principals, clock)
	h.listSessions = application.NewListSessions(store.Sessions(), clock)
	h.revokeSession = application.NewRevokeSession(tx, clock, h.ids)
	h.logoutAll = application.NewLogoutAll(tx, clock, h.ids)
	h.revokeOthers = application.NewRevokeOtherSessions(tx, clock, h.ids)
	h.changePassword = application.NewChangePassword(tx, h.hasher, clock, h.ids, cfg.password, h.failures, cfg.lockout)
	h.createUser = application.NewCreateUser(users, h.hasher, clock, h.ids, cfg.password, h.emails)
	return h
}

// newLogin builds a Login over the harness's store, clock and fakes, with
// the given user repository (for lookups outside the unit of work) and
// session rules.
func (h *harness) newLogin(users outbound.UserRepository, rules application.SessionRules) *application.Login {
	return application.NewLogin(users, h.store.Transactor(), h.hasher, h.store.Audit(), h.failures, h.settings.lockout,
		h.access, h.tokens, h.clock, h.ids, rules, h.emails, h.settings.verification)
}

const goodPassword = "correct horse battery staple"

func (h *harness) mustSignup(t *testing.T, email string) inbound.TokenPair {
	t.Helper()
	pair, err := h.signup.Handle(context.Background(), inbound.SignupCommand{Email: email, Password: goodPassword, FullName: "Ada Lovelace"})
	if err != nil {
		t.Fatalf("signup %s: %v", email, err)
	}
	return pair
}

func (h *harness) mustLogin(t *testing.T, email string) inbound.TokenPair {
	t.Helper()
	pair, err := h.login.Handle(context.Background(), inbound.LoginCommand{Email: email, Password: goodPassword})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return pair
}

func (h *harness) authenticate(token string) (inbound.Principal, error) {
	return h.auth.Handle(context.Background(), inbound.AuthenticateCommand{BearerToken: token})
}

func (h *harness) principal(t *testing.T, pair inbound.TokenPair) inbound.Principal {
	t.Helper()
	p, err := h.authenticate(pair.AccessToken)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	return p
}

// storedSession reads a session straight from the store.
func (h *harness) storedSession(t *testing.T, id session.ID) *session.Session {
	t.Helper()
	s, err := h.store.Sessions().Get(context.Background(), id)
	if err != nil {
		t.Fatalf("session %s: %v", id, err)
	}
	return s
}

// sessionIDOf names the session of a token pair, read from its refresh
// token, so that it works for a session that has ended too.
func sessionIDOf(t *testing.T, pair inbound.TokenPair) session.ID {
	t.Helper()
	id, _, err := fakeRefresh{}.Decode(pair.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func mustUserID(t *testing.T, s string) user.ID {
	t.Helper()
	id, err := user.ParseID(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

type blocklist []string

func (b blocklist) Contains(p string) bool {
	for _, s := range b {
		if strings.EqualFold(s, p) {
			return true
		}
	}
	return false
}

// fakeHasher stands in for argon2id: a tagged SHA-256 whose version number
// plays the part of the cost parameters. It counts verifications so tests
// can check that every login path pays one; onVerify, when set, runs after
// each verification, which lets a test change the world in the middle of a
// login.
type fakeHasher struct {
	version  int
	verifies atomic.Int64
	fail     error
	onVerify func()
}

var _ outbound.PasswordHasher = (*fakeHasher)(nil)

func (f *fakeHasher) Hash(_ context.Context, p user.Password) (user.PasswordHash, error) {
	if f.fail != nil {
		return user.PasswordHash{}, f.fail
	}
	sum := sha256.Sum256([]byte(p.Reveal()))
	return user.NewPasswordHash(fmt.Sprintf("$fake$v=%d$%s", f.version, hex.EncodeToString(sum[:])))
}

func (f *fakeHasher) Verify(_ context.Context, p user.Password, h user.PasswordHash) (bool, bool, error) {
	f.verifies.Add(1)
	if f.onVerify != nil {
		defer f.onVerify()
	}
	if f.fail != nil {
		return false, false, f.fail
	}
	parts := strings.Split(h.PHC(), "$")
	if len(parts) != 4 {
		return false, false, fmt.Errorf("bad hash")
	}
	sum := sha256.Sum256([]byte(p.Reveal()))
	return parts[3] == hex.EncodeToString(sum[:]), parts[2] != fmt.Sprintf("v=%d", f.version), nil
}

// fakeAccess issues readable unsigned tokens "at|user|session|role|exp".
type fakeAccess struct {
	clock *system.ManualClock
	ttl   time.Duration
}

var _ outbound.AccessTokens = (*fakeAccess)(nil)

func (f *fakeAccess) Issue(_ context.Context, c outbound.AccessClaims) (string, outbound.AccessClaims, error) {
	c.IssuedAt = f.clock.Now()
	c.ExpiresAt = c.IssuedAt.Add(f.ttl)
	return strings.Join([]string{"at", c.UserID.String(), c.SessionID.String(), string(c.Role), strconv.FormatInt(c.ExpiresAt.Unix(), 10)}, "|"), c, nil
}

func (f *fakeAccess) Verify(_ context.Context, token string) (outbound.AccessClaims, error) {
	p := strings.Split(token, "|")
	if len(p) != 5 || p[0] != "at" {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	userID, err := user.ParseID(p[1])
	if err != nil {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	sessionID, err := session.ParseID(p[2])
	if err != nil {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	exp, err := strconv.ParseInt(p[4], 10, 64)
	if err != nil {
		return outbound.AccessClaims{}, outbound.ErrTokenInvalid
	}
	if !f.clock.Now().Before(time.Unix(exp, 0)) {
		return outbound.AccessClaims{}, outbound.ErrTokenExpired
	}
	return outbound.AccessClaims{UserID: userID, SessionID: sessionID, Role: user.Role(p[3])}, nil
}

// fakeRefresh derives "rt|session|generation": deterministic, like the
// real HMAC codec, which is all the use cases rely on.
type fakeRefresh struct{}

var _ outbound.RefreshTokens = fakeRefresh{}

func (fakeRefresh) Encode(id session.ID, g session.Generation) string {
	return fmt.Sprintf("rt|%s|%d", id, g)
}

func (fakeRefresh) Decode(token string) (session.ID, session.Generation, error) {
	p := strings.Split(token, "|")
	if len(p) != 3 || p[0] != "rt" {
		return session.ID{}, 0, outbound.ErrRefreshTokenInvalid
	}
	id, err := session.ParseID(p[1])
	if err != nil {
		return session.ID{}, 0, outbound.ErrRefreshTokenInvalid
	}
	g, err := strconv.ParseUint(p[2], 10, 64)
	if err != nil {
		return session.ID{}, 0, outbound.ErrRefreshTokenInvalid
	}
	return id, session.Generation(g), nil
}

// events returns the audit trail, oldest first.
func (h *harness) events(t *testing.T) []audit.Event {
	t.Helper()
	list, err := h.store.Audit().List(context.Background(), outbound.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(list)
	return list
}

// eventTypes returns the types of the audit trail, oldest first.
func (h *harness) eventTypes(t *testing.T) []audit.Type {
	t.Helper()
	var out []audit.Type
	for _, e := range h.events(t) {
		out = append(out, e.Type)
	}
	return out
}
