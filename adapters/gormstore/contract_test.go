package gormstore_test

import (
	"testing"

	"github.com/authd/authd/test/contract"
)

func TestContract(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			contract.Run(t, func(t *testing.T) contract.Stores {
				db := openMigrated(t, dialect)
				return contract.Stores{
					Users:      db.Users(),
					Sessions:   db.Sessions(),
					Principals: db.Principals(),
					Transactor: db.Transactor(),
					Audit:      db.Audit(),
					Identities: db.Identities(),
					FlowStates: db.FlowStates(),
					LoginCodes: db.LoginCodes(),

					LoginFailures: db.LoginFailures(),

					Secrets:       db.Secrets(),
					Outbox:        db.Outbox(),
					SecretSweeper: db.SecretSweeper(),
					OutboxSweeper: db.OutboxSweeper(),
					AuditImport:   db.Audit(),
				}
			})
		})
	}
}
