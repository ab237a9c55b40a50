// Package contract holds the behaviour every storage adapter must share, as
// test suites that each adapter runs against itself: the in-memory one, and
// GORM on SQLite and on PostgreSQL. Passing them is what lets the rest of
// the code base test against the memory adapter and trust the result.
//
//	func TestContract(t *testing.T) {
//		contract.Run(t, func(t *testing.T) contract.Stores { ... one fresh database ... })
//	}
package contract

import (
	"context"
	"encoding/binary"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authd/authd/domain/ident"
	"github.com/authd/authd/domain/session"
	"github.com/authd/authd/domain/user"
	"github.com/authd/authd/ports/outbound"
)

// Stores are the storage ports under test. Run needs every field, of one
// database. The session and principal suites need only Users, Sessions and
// Principals, and Users may then live in another store than Sessions: those
// suites store users only because a store may need a session's user to exist
// (the SQL foreign key), and never expect the session repository to know
// anything about them.
type Stores struct {
	Users      outbound.UserRepository
	Sessions   outbound.SessionRepository
	Principals outbound.PrincipalLookup
	Transactor outbound.Transactor
	Audit      outbound.AuditLog
	// Identities, FlowStates and LoginCodes live in the users' store.
	Identities outbound.IdentityRepository
	FlowStates outbound.FlowStateRepository
	LoginCodes outbound.LoginCodeRepository
	// LoginFailures is the failed sign-in counter of the same store.
	LoginFailures FailureStore
	// The one-time secrets and the mail outbox, with the sweepers that
	// clean them up (RunSecrets and RunOutbox).
	Secrets       outbound.SecretRepository
	Outbox        outbound.Outbox
	SecretSweeper outbound.Sweeper
	OutboxSweeper outbound.Sweeper
	// AuditImport is Audit's import path (RunAuditImporter).
	AuditImport outbound.AuditImporter
}

// NewStores returns the stores of a fresh, empty, migrated database (or
// databases). It is called once per subtest (which may run in parallel with
// others) and registers its own cleanup with t.
type NewStores func(t *testing.T) Stores

// Run runs every suite.
func Run(t *testing.T, newStores NewStores) {
	t.Run("UserRepository", func(t *testing.T) { RunUserRepository(t, newStores) })
	t.Run("SessionRepository", func(t *testing.T) { RunSessionRepository(t, newStores) })
	t.Run("PrincipalLookup", func(t *testing.T) { RunPrincipalLookup(t, newStores) })
	t.Run("Transactor", func(t *testing.T) { RunTransactor(t, newStores) })
	t.Run("AuditLog", func(t *testing.T) { RunAuditLog(t, newStores) })
	t.Run("IdentityRepository", func(t *testing.T) { RunIdentityRepository(t, newStores) })
	t.Run("SignInFlows", func(t *testing.T) { RunSignInFlows(t, newStores) })
	t.Run("LoginFailures", func(t *testing.T) { RunLoginFailures(t, newStores) })
	t.Run("SecretRepository", func(t *testing.T) { RunSecrets(t, newStores) })
	t.Run("Outbox", func(t *testing.T) { RunOutbox(t, newStores) })
	t.Run("AuditImporter", func(t *testing.T) { RunAuditImporter(t, newStores) })
}

// test is one contract test: a name and a body run against fresh stores.
type test struct {
	name string
	run  func(f *fixture)
}

// runAll runs each test as a parallel subtest with its own database.
func runAll(t *testing.T, newStores NewStores, tests []test) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(newFixture(t, newStores))
		})
	}
}

// t0 is the fixed "now" of the tests. Its nanoseconds check that adapters
// keep at least microsecond precision.
var t0 = time.Date(2031, time.March, 4, 5, 6, 7, 123456789, time.UTC)

// policy is a session policy with short, distinct lifetimes.
var policy = session.Policy{IdleTimeout: time.Hour, MaxLifetime: 10 * time.Hour, ReuseGrace: 10 * time.Second}

// fixture is what one test works with.
type fixture struct {
	*testing.T
	Stores
	// ctx ends the test's database work: a deadlock (a repository using
	// the pool while a transaction holds SQLite's only connection) fails
	// the test instead of hanging it.
	ctx context.Context
	ids atomic.Uint64
}

func newFixture(t *testing.T, newStores NewStores) *fixture {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return &fixture{T: t, Stores: newStores(t), ctx: ctx}
}

// id returns a new UUIDv7-shaped id (00000000-0000-7000-8000-000000000001,
// ...); later ids sort after earlier ones, as UUIDv7 ids made later do.
func (f *fixture) id() ident.UUID {
	var id ident.UUID
	id[6] = 0x70 // version 7
	// The RFC 9562 variant bits, then the counter.
	binary.BigEndian.PutUint64(id[8:], 0x8000_0000_0000_0000|f.ids.Add(1))
	return id
}

// newUser builds a user without storing it.
func (f *fixture) newUser(email string) *user.User {
	f.Helper()
	addr, err := user.ParseEmail(email)
	f.must(err)
	name, err := user.ParseFullName("Ada Lovelace")
	f.must(err)
	hash, err := user.NewPasswordHash("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo")
	f.must(err)
	u, err := user.Register(user.ID(f.id()), addr, name, hash, t0)
	f.must(err)
	return u
}

// addUser stores a new user.
func (f *fixture) addUser(email string) *user.User {
	f.Helper()
	u := f.newUser(email)
	f.must(f.Users.Add(f.ctx, u))
	return u
}

// owner stores a user for sessions to belong to. The session repository
// needs nothing of it (it may not even see it: users may live in another
// store); a store whose sessions reference their user (the SQL foreign key)
// needs the user to exist.
func (f *fixture) owner(email string) *user.User {
	f.Helper()
	return f.addUser(email)
}

// newSession starts a session of u at at without storing it.
func (f *fixture) newSession(u *user.User, at time.Time) *session.Session {
	f.Helper()
	s, err := session.Start(session.ID(f.id()), u.ID(), at, policy, "Mozilla/5.0 (X11; Linux x86_64)", "203.0.113.7")
	f.must(err)
	return s
}

// addSession stores a new session of u started at at.
func (f *fixture) addSession(u *user.User, at time.Time) *session.Session {
	f.Helper()
	s := f.newSession(u, at)
	f.must(f.Sessions.Add(f.ctx, s))
	return s
}

// getSession loads a session that must exist.
func (f *fixture) getSession(id session.ID) *session.Session {
	f.Helper()
	s, err := f.Sessions.Get(f.ctx, id)
	f.must(err)
	return s
}

func (f *fixture) must(err error) {
	f.Helper()
	if err != nil {
		f.Fatalf("unexpected error: %v", err)
	}
}
