package memory_test

import (
	"context"
	"testing"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/ports/outbound"
	"github.com/authd/authd/test/contract"
)

func TestContract(t *testing.T) {
	// Every port of one store, as the application is usually wired.
	t.Run("OneStore", func(t *testing.T) {
		contract.Run(t, func(t *testing.T) contract.Stores {
			s := memory.NewStore()
			return contract.Stores{
				Users:      s.Users(),
				Sessions:   s.Sessions(),
				Principals: compose.PrincipalLookup{Sessions: s.Sessions(), Users: s.Users()},
				Transactor: s.Transactor(),
				Audit:      s.Audit(),
				Identities: s.Identities(),
				FlowStates: s.FlowStates(),
				LoginCodes: s.LoginCodes(),
				// Failed sign-ins are counted apart from the store.
				LoginFailures: memory.NewLoginFailures(),

				Secrets:       s.Secrets(),
				Outbox:        s.Outbox(),
				SecretSweeper: s.SecretSweeper(),
				OutboxSweeper: s.OutboxSweeper(),
				AuditImport:   s.Audit(),
			}
		})
	})

	// Sessions kept in a store of their own, which never holds a user: the
	// session repository must not need to know users, and the principal
	// lookup must work across the two.
	t.Run("SessionsApartFromUsers", func(t *testing.T) {
		apart := func(t *testing.T) contract.Stores {
			users, sessions := memory.NewStore(), memory.NewStore()
			t.Cleanup(func() { noUsersIn(t, sessions) })
			return contract.Stores{
				Users:      users.Users(),
				Sessions:   sessions.Sessions(),
				Principals: compose.PrincipalLookup{Sessions: sessions.Sessions(), Users: users.Users()},
			}
		}
		t.Run("SessionRepository", func(t *testing.T) { contract.RunSessionRepository(t, apart) })
		t.Run("PrincipalLookup", func(t *testing.T) { contract.RunPrincipalLookup(t, apart) })
	})

	// Sessions in a SessionStore of their own (the shape of a Redis session
	// store), joined to the users' store by compose.Transactor: the user,
	// session, principal and transactor suites hold on the composition. The
	// session store hands the events it commits to the users' audit log.
	// The audit log's own suite is not run here: it is the main store's
	// (run above), and inside a composed unit of work events are held until
	// the unit knows which store they commit with, so a unit cannot list
	// its own events, and an event id taken already is not refused at
	// Record: the session store's import skips it.
	t.Run("SessionStoreWithComposedTransactor", func(t *testing.T) {
		composed := func(t *testing.T) contract.Stores {
			main := memory.NewStore()
			sessions := memory.NewSessionStore(main.Audit())
			return contract.Stores{
				Users:      main.Users(),
				Sessions:   sessions.Sessions(),
				Principals: compose.PrincipalLookup{Sessions: sessions.Sessions(), Users: main.Users()},
				Transactor: compose.Transactor{Main: main.Transactor(), Sessions: sessions},
				Audit:      main.Audit(),
				Identities: main.Identities(),
				FlowStates: main.FlowStates(),
				LoginCodes: main.LoginCodes(),

				Secrets:       main.Secrets(),
				Outbox:        main.Outbox(),
				SecretSweeper: main.SecretSweeper(),
				OutboxSweeper: main.OutboxSweeper(),
			}
		}
		t.Run("UserRepository", func(t *testing.T) { contract.RunUserRepository(t, composed) })
		t.Run("SessionRepository", func(t *testing.T) { contract.RunSessionRepository(t, composed) })
		t.Run("PrincipalLookup", func(t *testing.T) { contract.RunPrincipalLookup(t, composed) })
		t.Run("Transactor", func(t *testing.T) { contract.RunTransactor(t, composed) })
		t.Run("IdentityRepository", func(t *testing.T) { contract.RunIdentityRepository(t, composed) })
		t.Run("SignInFlows", func(t *testing.T) { contract.RunSignInFlows(t, composed) })
		t.Run("SecretRepository", func(t *testing.T) { contract.RunSecrets(t, composed) })
	})
}

// noUsersIn checks that the suite wrote no user where the sessions live, so
// that the run above really kept them apart.
func noUsersIn(t *testing.T, s *memory.Store) {
	t.Helper()
	// Not t.Context(): it is cancelled before cleanups run.
	got, err := s.Users().List(context.Background(), outbound.UserQuery{Limit: 1})
	if err != nil {
		t.Fatalf("listing the users of the session store: %v", err)
	}
	if len(got) != 0 {
		t.Errorf("the session store holds user %s: the suite must keep users in their own store", got[0].ID())
	}
}
