package gormstore_test

import (
	"testing"

	"github.com/authd/authd/test/contract"
)

func TestSweeperContract(t *testing.T) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			contract.RunSweepers(t, func(t *testing.T) contract.SweepStores {
				db := openMigrated(t, dialect)
				return contract.SweepStores{
					Stores: contract.Stores{
						Users:      db.Users(),
						Sessions:   db.Sessions(),
						Principals: db.Principals(),
						Transactor: db.Transactor(),
						Audit:      db.Audit(),
					},
					Sessions: db.SessionSweeper(contract.SweepRetention),
					Audit:    db.AuditSweeper(contract.SweepRetention),
				}
			})
		})
	}
}
