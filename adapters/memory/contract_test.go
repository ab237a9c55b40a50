package memory_test

import (
	"testing"

	"github.com/authd/authd/adapters/memory"
	"github.com/authd/authd/test/contract"
)

func TestContract(t *testing.T) {
	contract.Run(t, func(t *testing.T) contract.Stores {
		s := memory.NewStore()
		return contract.Stores{
			Users:      s.Users(),
			Sessions:   s.Sessions(),
			Principals: s.Principals(),
			Transactor: s.Transactor(),
			Audit:      s.Audit(),
		}
	})
}
