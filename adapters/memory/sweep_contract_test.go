package memory_test

import (
	"testing"

	"github.com/authd/authd/adapters/compose"
	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/test/contract"
)

func TestSweeperContract(t *testing.T) {
	contract.RunSweepers(t, func(t *testing.T) contract.SweepStores {
		s := memory.NewStore()
		return contract.SweepStores{
			Stores: contract.Stores{
				Users:      s.Users(),
				Sessions:   s.Sessions(),
				Principals: compose.PrincipalLookup{Sessions: s.Sessions(), Users: s.Users()},
				Transactor: s.Transactor(),
				Audit:      s.Audit(),
			},
			Sessions: s.SessionSweeper(contract.SweepRetention),
			Audit:    s.AuditSweeper(contract.SweepRetention),
		}
	})
}
