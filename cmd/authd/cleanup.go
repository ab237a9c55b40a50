package main

import (
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"
	"go.uber.org/fx"

	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports/inbound"
)

func newCleanupCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "cleanup",
		Short: "Delete expired sessions, old audit events and other finished rows now, in batches",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			var uc inbound.Cleanup
			app := fx.New(wiring.Core(cfg), fx.Populate(&uc), fx.NopLogger)
			if err := app.Start(cmd.Context()); err != nil {
				return err
			}
			defer app.Stop(cmd.Context())
			report, err := uc.Handle(cmd.Context(), inbound.CleanupCommand{})
			for _, name := range slices.Sorted(maps.Keys(report)) {
				fmt.Fprintf(cmd.OutOrStdout(), "%s: %d deleted\n", name, report[name])
			}
			return err
		},
	}
}
