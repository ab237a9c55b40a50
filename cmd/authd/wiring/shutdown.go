package wiring

import (
	"context"
	"errors"
	"sync/atomic"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/httpapi"
)

// Shutdown makes /readyz answer 503 as soon as the process is told to stop
// (Drain.Begin), while the server goes on serving: load balancers see the
// instance leave before its listener closes. It is not a module but plain
// options, so that its decoration of the readiness probe reaches the HTTP
// module wherever that is declared.
var Shutdown = fx.Options(
	fx.Provide(func() *Drain { return &Drain{} }),
	fx.Decorate(notReadyWhileDraining),
)

// Drain is the switch the serve command flips on SIGTERM or SIGINT.
type Drain struct {
	draining atomic.Bool
}

// errDraining is what /readyz logs while the server drains.
var errDraining = errors.New("shutting down")

// Begin marks the process as leaving: from now on it is not ready.
func (d *Drain) Begin() { d.draining.Store(true) }

// Draining reports whether Begin was called.
func (d *Drain) Draining() bool { return d.draining.Load() }

func notReadyWhileDraining(ready httpapi.ReadyFunc, d *Drain) httpapi.ReadyFunc {
	return func(ctx context.Context) error {
		if d.Draining() {
			return errDraining
		}
		return ready(ctx)
	}
}
