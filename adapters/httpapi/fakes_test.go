package httpapi

import (
	"context"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain/identity"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/inbound"
)

// fakeHandler is a recording fake of one use case: it counts its calls,
// keeps the last command, and answers with result and err, or panics when
// panics is set. Tests set result, err and panics before sending requests.
type fakeHandler[C, R any] struct {
	name   string
	owner  *fakes
	result R
	err    error
	panics bool

	mu  sync.Mutex
	n   int
	cmd C
}

func (h *fakeHandler[C, R]) Handle(ctx context.Context, cmd C) (R, error) {
	if h.panics {
		panic("boom in " + h.name)
	}
	h.owner.record(ctx, h.name)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	h.cmd = cmd
	return h.result, h.err
}

// calls says how many times the use case ran.
func (h *fakeHandler[C, R]) calls() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// last returns the last command received (the zero command if none).
func (h *fakeHandler[C, R]) last() C {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cmd
}

func (h *fakeHandler[C, R]) lastCommand() any   { return h.last() }
func (h *fakeHandler[C, R]) failWith(err error) { h.err = err }

// fakeCommand fakes a use case whose only answer is an error.
type fakeCommand[C any] struct {
	fakeHandler[C, struct{}]
}

func (h *fakeCommand[C]) Handle(ctx context.Context, cmd C) error {
	_, err := h.fakeHandler.Handle(ctx, cmd)
	return err
}

// namedFake is what tables reach by use case name, whatever its types.
type namedFake interface {
	calls() int
	lastCommand() any
	failWith(err error)
}

// fakes holds one recording fake per use case of UseCases, named after
// its field, and the order in which they were called.
type fakes struct {
	mu        sync.Mutex
	log       []string
	requestID string // the request id in the last call's context
	byName    map[string]namedFake

	signup              *fakeHandler[inbound.SignupCommand, inbound.TokenPair]
	login               *fakeHandler[inbound.LoginCommand, inbound.TokenPair]
	refresh             *fakeHandler[inbound.RefreshCommand, inbound.TokenPair]
	logout              *fakeCommand[inbound.LogoutCommand]
	authenticate        *fakeHandler[inbound.AuthenticateCommand, inbound.Principal]
	me                  *fakeHandler[inbound.MeQuery, *user.User]
	listSessions        *fakeHandler[inbound.ListSessionsQuery, []inbound.SessionView]
	revokeSession       *fakeCommand[inbound.RevokeSessionCommand]
	logoutAll           *fakeCommand[inbound.LogoutAllCommand]
	revokeOtherSessions *fakeCommand[inbound.RevokeOtherSessionsCommand]
	changePassword      *fakeCommand[inbound.ChangePasswordCommand]
	listUsers           *fakeHandler[inbound.ListUsersQuery, inbound.UserPage]
	getUser             *fakeHandler[inbound.GetUserQuery, *user.User]
	updateUser          *fakeHandler[inbound.UpdateUserCommand, *user.User]
	deleteUser          *fakeCommand[inbound.DeleteUserCommand]
	listUserSessions    *fakeHandler[inbound.ListUserSessionsQuery, []*session.Session]
	revokeUserSessions  *fakeCommand[inbound.RevokeUserSessionsCommand]
	listAudit           *fakeHandler[inbound.ListAuditQuery, inbound.AuditPage]
	startSignIn         *fakeHandler[inbound.StartSignInCommand, inbound.FlowStart]
	startLink           *fakeHandler[inbound.StartLinkCommand, inbound.FlowStart]
	completeSignIn      *fakeHandler[inbound.CompleteSignInCommand, inbound.SignInResult]
	exchangeLoginCode   *fakeHandler[inbound.ExchangeLoginCodeCommand, inbound.TokenPair]
	listIdentities      *fakeHandler[inbound.ListIdentitiesQuery, []*identity.Identity]
	unlinkIdentity      *fakeCommand[inbound.UnlinkIdentityCommand]

	sendVerification   *fakeCommand[inbound.SendVerificationCommand]
	verifyEmail        *fakeHandler[inbound.VerifyEmailCommand, *user.User]
	forgotPassword     *fakeCommand[inbound.ForgotPasswordCommand]
	resetPassword      *fakeCommand[inbound.ResetPasswordCommand]
	requestEmailChange *fakeCommand[inbound.RequestEmailChangeCommand]
	confirmEmailChange *fakeHandler[inbound.ConfirmEmailChangeCommand, *user.User]
	updateProfile      *fakeHandler[inbound.UpdateProfileCommand, *user.User]
}

func addFake[C, R any](f *fakes, name string, result R) *fakeHandler[C, R] {
	h := &fakeHandler[C, R]{name: name, owner: f, result: result}
	f.byName[name] = h
	return h
}

func addCommandFake[C any](f *fakes, name string) *fakeCommand[C] {
	h := &fakeCommand[C]{fakeHandler[C, struct{}]{name: name, owner: f}}
	f.byName[name] = h
	return h
}

// newFakes makes every use case succeed for the plain user testUser in
// session testSessionID: a token pair, the user, two sessions (the first
// current), empty admin pages.
func newFakes(t testing.TB) *fakes {
	u := testUser(t)
	pair := inbound.TokenPair{
		AccessToken: "new.access.jwt", AccessExpiresAt: testNow.Add(15 * time.Minute), ExpiresIn: 15 * time.Minute,
		RefreshToken: "opaque-refresh-token", RefreshExpiresAt: testNow.Add(7 * 24 * time.Hour), User: u,
	}
	f := &fakes{byName: map[string]namedFake{}}
	f.signup = addFake[inbound.SignupCommand](f, "Signup", pair)
	f.login = addFake[inbound.LoginCommand](f, "Login", pair)
	f.refresh = addFake[inbound.RefreshCommand](f, "Refresh", pair)
	f.logout = addCommandFake[inbound.LogoutCommand](f, "Logout")
	f.authenticate = addFake[inbound.AuthenticateCommand](f, "Authenticate",
		inbound.Principal{User: u, SessionID: mustID(t, session.ParseID, testSessionID)})
	f.me = addFake[inbound.MeQuery](f, "Me", u)
	f.listSessions = addFake[inbound.ListSessionsQuery](f, "ListSessions", []inbound.SessionView{
		{Session: testSession(t, testSessionID), Current: true},
		{Session: testSession(t, "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"), Current: false},
	})
	f.revokeSession = addCommandFake[inbound.RevokeSessionCommand](f, "RevokeSession")
	f.logoutAll = addCommandFake[inbound.LogoutAllCommand](f, "LogoutAll")
	f.revokeOtherSessions = addCommandFake[inbound.RevokeOtherSessionsCommand](f, "RevokeOtherSessions")
	f.changePassword = addCommandFake[inbound.ChangePasswordCommand](f, "ChangePassword")
	f.listUsers = addFake[inbound.ListUsersQuery](f, "ListUsers", inbound.UserPage{})
	f.getUser = addFake[inbound.GetUserQuery](f, "GetUser", u)
	f.updateUser = addFake[inbound.UpdateUserCommand](f, "UpdateUser", u)
	f.deleteUser = addCommandFake[inbound.DeleteUserCommand](f, "DeleteUser")
	f.listUserSessions = addFake[inbound.ListUserSessionsQuery](f, "ListUserSessions", []*session.Session(nil))
	f.revokeUserSessions = addCommandFake[inbound.RevokeUserSessionsCommand](f, "RevokeUserSessions")
	f.listAudit = addFake[inbound.ListAuditQuery](f, "ListAudit", inbound.AuditPage{})
	f.addSignInFakes(t, pair)
	f.sendVerification = addCommandFake[inbound.SendVerificationCommand](f, "SendVerification")
	f.verifyEmail = addFake[inbound.VerifyEmailCommand](f, "VerifyEmail", u)
	f.forgotPassword = addCommandFake[inbound.ForgotPasswordCommand](f, "ForgotPassword")
	f.resetPassword = addCommandFake[inbound.ResetPasswordCommand](f, "ResetPassword")
	f.requestEmailChange = addCommandFake[inbound.RequestEmailChangeCommand](f, "RequestEmailChange")
	f.confirmEmailChange = addFake[inbound.ConfirmEmailChangeCommand](f, "ConfirmEmailChange", u)
	f.updateProfile = addFake[inbound.UpdateProfileCommand](f, "UpdateProfile", u)
	return f
}

func (f *fakes) useCases() UseCases {
	return UseCases{
		Signup: f.signup, Login: f.login, Refresh: f.refresh, Logout: f.logout, Authenticate: f.authenticate,
		Me: f.me, ListSessions: f.listSessions, RevokeSession: f.revokeSession, LogoutAll: f.logoutAll,
		RevokeOtherSessions: f.revokeOtherSessions, ChangePassword: f.changePassword,
		ListUsers: f.listUsers, GetUser: f.getUser, UpdateUser: f.updateUser, DeleteUser: f.deleteUser,
		ListUserSessions: f.listUserSessions, RevokeUserSessions: f.revokeUserSessions, ListAudit: f.listAudit,
		StartSignIn: f.startSignIn, StartLink: f.startLink, CompleteSignIn: f.completeSignIn,
		ExchangeLoginCode: f.exchangeLoginCode, ListIdentities: f.listIdentities, UnlinkIdentity: f.unlinkIdentity,
		SendVerification: f.sendVerification, VerifyEmail: f.verifyEmail, ForgotPassword: f.forgotPassword,
		ResetPassword: f.resetPassword, RequestEmailChange: f.requestEmailChange,
		ConfirmEmailChange: f.confirmEmailChange, UpdateProfile: f.updateProfile,
	}
}

func (f *fakes) record(ctx context.Context, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, name)
	f.requestID = requestIDFrom(ctx)
}

// calls lists the use cases called, in order.
func (f *fakes) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.log)
}

func (f *fakes) seenRequestID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requestID
}

// named returns the fake of a use case by its UseCases field name; an
// unknown name panics, so that a misspelt name cannot make a "not called"
// assertion pass.
func (f *fakes) named(name string) namedFake {
	h, ok := f.byName[name]
	if !ok {
		panic("no fake use case named " + name)
	}
	return h
}

func (f *fakes) called(name string) bool { return f.named(name).calls() > 0 }

// sent returns the given field of the last command the named use case
// received, e.g. sent("GetUser", "UserID").
func (f *fakes) sent(name, field string) any {
	v := reflect.ValueOf(f.named(name).lastCommand()).FieldByName(field)
	if !v.IsValid() {
		panic("the command of " + name + " has no field " + field)
	}
	return v.Interface()
}

// principalSent returns the Principal of the named use case's last command.
func (f *fakes) principalSent(name string) inbound.Principal {
	return f.sent(name, "Principal").(inbound.Principal)
}

// Fixed instants the fixtures use.
var (
	testNow     = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	testCreated = time.Date(2026, 5, 1, 8, 30, 15, 123456789, time.UTC)
)

const (
	testUserID    = "0190a1b2-0000-7000-8000-000000000001"
	testSessionID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
)

// mustID parses a fixture id, e.g. mustID(t, user.ParseID, testUserID).
func mustID[ID any](t testing.TB, parse func(string) (ID, error), s string) ID {
	t.Helper()
	id, err := parse(s)
	if err != nil {
		t.Fatalf("fixture id %q: %v", s, err)
	}
	return id
}

func testUser(t testing.TB) *user.User {
	t.Helper()
	u, err := user.Rehydrate(user.Snapshot{
		ID: mustID(t, user.ParseID, testUserID), Email: "ada@example.com", FullName: "Ada Lovelace",
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
		ID: mustID(t, session.ParseID, id), UserID: mustID(t, user.ParseID, testUserID), Generation: 3,
		UserAgent: "curl/8", IP: "192.0.2.7",
		CreatedAt: testCreated, LastUsedAt: testNow.Add(-time.Minute), RotatedAt: testNow.Add(-time.Minute),
		IdleExpiresAt: testNow.Add(7 * 24 * time.Hour), ExpiresAt: testCreated.Add(45 * 24 * time.Hour),
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
