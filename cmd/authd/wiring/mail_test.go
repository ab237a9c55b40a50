package wiring_test

import (
	"slices"
	"testing"

	"go.uber.org/fx"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports/outbound"
)

// TestSweepersAreProvided: both storage bindings put the cleanup of
// one-time secrets and of delivered mail into the sweepers group, where the
// background cleanup collects them.
func TestSweepersAreProvided(t *testing.T) {
	cfg, _ := testConfig(t)
	for name, storage := range map[string]fx.Option{"sql": wiring.Storage, "memory": wiring.MemoryStorage} {
		var names []string
		app := fx.New(wiring.ServerOn(cfg, storage), quietLogger(t), fx.Invoke(fx.Annotate(func(sweepers []outbound.Sweeper) {
			for _, s := range sweepers {
				names = append(names, s.Name())
			}
		}, fx.ParamTags(`group:"sweepers"`))))
		if err := app.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		slices.Sort(names)
		if !slices.Contains(names, "one_time_secrets") || !slices.Contains(names, "outbox") {
			t.Fatalf("%s: sweepers %v", name, names)
		}
	}
}
