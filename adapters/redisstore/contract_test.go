package redisstore_test

import (
	"testing"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/test/contract"
	"github.com/authd/authd/test/redistest"
)

// TestContract runs the session, principal and transactor suites on Redis
// sessions joined to SQL users (SQLite and PostgreSQL) by compose, as the
// application is wired with sessions.store=redis. The user suite runs too,
// through the composed transactor; the audit suites are the SQL store's
// own (gormstore runs them).
func TestContract(t *testing.T) {
	for dialect := range dialects {
		t.Run(dialect, func(t *testing.T) {
			composed := func(t *testing.T) contract.Stores {
				db := openSQL(t, dialect)
				store := openStore(t, redistest.NewURL(t), db.Audit())
				return contract.Stores{
					Users:      db.Users(),
					Sessions:   store.Sessions(),
					Principals: compose.PrincipalLookup{Sessions: store.Sessions(), Users: db.Users()},
					Transactor: compose.Transactor{Main: db.Transactor(), Sessions: store},
					Audit:      db.Audit(),
				}
			}
			t.Run("UserRepository", func(t *testing.T) { contract.RunUserRepository(t, composed) })
			t.Run("SessionRepository", func(t *testing.T) { contract.RunSessionRepository(t, composed) })
			t.Run("PrincipalLookup", func(t *testing.T) { contract.RunPrincipalLookup(t, composed) })
			t.Run("Transactor", func(t *testing.T) { contract.RunTransactor(t, composed) })
		})
	}
}
