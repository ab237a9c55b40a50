package wiring_test

import (
	"slices"
	"testing"

	"go.uber.org/fx"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports/outbound"
)

// The expired sign-in flows and login codes are swept by whatever runs
// the sweepers group, on either storage.
func TestSignInSweepersJoinTheGroup(t *testing.T) {
	cfg, _ := testConfig(t)
	for name, storage := range map[string]fx.Option{"database": wiring.Storage, "memory": wiring.MemoryStorage} {
		t.Run(name, func(t *testing.T) {
			var names []string
			app := fx.New(
				wiring.ServerOn(cfg, storage),
				fx.Invoke(fx.Annotate(func(sweepers []outbound.Sweeper) {
					for _, s := range sweepers {
						names = append(names, s.Name())
					}
				}, fx.ParamTags(`group:"sweepers"`))),
				fx.NopLogger,
			)
			if err := app.Err(); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"oidc_flow_states", "oidc_login_codes"} {
				if !slices.Contains(names, want) {
					t.Errorf("sweepers %v lack %s", names, want)
				}
			}
		})
	}
}
