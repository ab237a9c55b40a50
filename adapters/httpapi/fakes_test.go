package httpapi

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// fakeUseCases implements every inbound port. It records each call and
// answers with the configured results; errs is keyed by method name.
type fakeUseCases struct {
	mu    sync.Mutex
	calls []string
	// panicOn names a method that panics instead of answering.
	panicOn string

	pair     inbound.TokenPair
	user     *user.User
	sessions []inbound.SessionView
	errs     map[string]error

	// principal is what Authenticate returns for the token goodToken.
	principal inbound.Principal

	signupCmd     inbound.SignupCommand
	loginCmd      inbound.LoginCommand
	refreshCmd    inbound.RefreshCommand
	logoutToken   string
	bearer        string
	revokedID     session.ID
	passwordCmd   inbound.ChangePasswordCommand
	seenPrincipal inbound.Principal
	sawRequestID  string

	// Admin answers and the arguments the admin use cases received.
	userPage      inbound.UserPage
	adminSessions []*session.Session
	auditPage     inbound.AuditPage
	usersQuery    inbound.ListUsersQuery
	auditQuery    inbound.AuditQuery
	targetID      user.ID
	updateCmd     inbound.UpdateUserCommand
}

const goodToken = "good.access.token"

func (f *fakeUseCases) record(ctx context.Context, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name == f.panicOn {
		panic("boom in " + name)
	}
	f.calls = append(f.calls, name)
	f.sawRequestID = requestIDFrom(ctx)
	return f.errs[name]
}

func (f *fakeUseCases) called(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.calls {
		if c == name {
			return true
		}
	}
	return false
}

func (f *fakeUseCases) Signup(ctx context.Context, cmd inbound.SignupCommand) (inbound.TokenPair, error) {
	f.signupCmd = cmd
	return f.pair, f.record(ctx, "Signup")
}

func (f *fakeUseCases) Login(ctx context.Context, cmd inbound.LoginCommand) (inbound.TokenPair, error) {
	f.loginCmd = cmd
	return f.pair, f.record(ctx, "Login")
}

func (f *fakeUseCases) Refresh(ctx context.Context, cmd inbound.RefreshCommand) (inbound.TokenPair, error) {
	f.refreshCmd = cmd
	return f.pair, f.record(ctx, "Refresh")
}

func (f *fakeUseCases) Logout(ctx context.Context, cmd inbound.LogoutCommand) error {
	f.logoutToken = cmd.RefreshToken
	return f.record(ctx, "Logout")
}

func (f *fakeUseCases) Authenticate(ctx context.Context, token string) (inbound.Principal, error) {
	f.bearer = token
	if err := f.record(ctx, "Authenticate"); err != nil {
		return inbound.Principal{}, err
	}
	if token != goodToken {
		return inbound.Principal{}, inbound.ErrTokenInvalid
	}
	return f.principal, nil
}

func (f *fakeUseCases) Me(ctx context.Context, p inbound.Principal) (*user.User, error) {
	f.seenPrincipal = p
	return f.user, f.record(ctx, "Me")
}

func (f *fakeUseCases) ListSessions(ctx context.Context, p inbound.Principal) ([]inbound.SessionView, error) {
	f.seenPrincipal = p
	return f.sessions, f.record(ctx, "ListSessions")
}

func (f *fakeUseCases) RevokeSession(ctx context.Context, p inbound.Principal, id session.ID) error {
	f.seenPrincipal, f.revokedID = p, id
	return f.record(ctx, "RevokeSession")
}

func (f *fakeUseCases) LogoutAll(ctx context.Context, p inbound.Principal) error {
	f.seenPrincipal = p
	return f.record(ctx, "LogoutAll")
}

func (f *fakeUseCases) RevokeOtherSessions(ctx context.Context, p inbound.Principal) error {
	f.seenPrincipal = p
	return f.record(ctx, "RevokeOtherSessions")
}

func (f *fakeUseCases) ChangePassword(ctx context.Context, p inbound.Principal, cmd inbound.ChangePasswordCommand) error {
	f.seenPrincipal, f.passwordCmd = p, cmd
	return f.record(ctx, "ChangePassword")
}

func (f *fakeUseCases) useCases() UseCases {
	return UseCases{
		Signup: f, Login: f, Refresh: f, Logout: f, Authenticator: f, Me: f, ListSessions: f,
		RevokeSession: f, LogoutAll: f, RevokeOtherSessions: f, ChangePassword: f,
		AdminUsers: f, AuditTrail: f,
	}
}

// Fixed instants the fixtures use.
var (
	testNow     = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	testCreated = time.Date(2026, 5, 1, 8, 30, 15, 123456789, time.UTC)
)

const testSessionID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"

func testUser(t testing.TB) *user.User {
	t.Helper()
	u, err := user.Rehydrate(user.Snapshot{
		ID: "0190a1b2-0000-7000-8000-000000000001", Email: "ada@example.com", FullName: "Ada Lovelace",
		Role: "user", PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		CreatedAt: testCreated, UpdatedAt: testCreated.Add(time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func testSession(t testing.TB, id string) *session.Session {
	t.Helper()
	s, err := session.Rehydrate(session.Snapshot{
		ID: session.ID(id), UserID: "0190a1b2-0000-7000-8000-000000000001", Generation: 3,
		UserAgent: "curl/8", IP: "192.0.2.7",
		CreatedAt: testCreated, LastUsedAt: testNow.Add(-time.Minute), RotatedAt: testNow.Add(-time.Minute),
		IdleExpiresAt: testNow.Add(7 * 24 * time.Hour), ExpiresAt: testCreated.Add(45 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func newFakes(t testing.TB) *fakeUseCases {
	u := testUser(t)
	return &fakeUseCases{
		errs: map[string]error{},
		user: u,
		pair: inbound.TokenPair{
			AccessToken: "new.access.jwt", AccessExpiresAt: testNow.Add(15 * time.Minute), ExpiresIn: 15 * time.Minute,
			RefreshToken: "opaque-refresh-token", RefreshExpiresAt: testNow.Add(7 * 24 * time.Hour), User: u,
		},
		principal: inbound.Principal{User: u, SessionID: testSessionID},
		sessions: []inbound.SessionView{
			{Session: testSession(t, testSessionID), Current: true},
			{Session: testSession(t, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"), Current: false},
		},
	}
}
