package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authd/authd/cmd/authd/wiring"
)

func newMigrateCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply, roll back or show database migrations",
	}
	for _, direction := range []string{"up", "down"} {
		cmd.AddCommand(&cobra.Command{
			Use:   direction,
			Short: map[string]string{"up": "Apply every pending migration", "down": "Roll back the latest migration"}[direction],
			Args:  cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				cfg, err := g.load()
				if err != nil {
					return err
				}
				db, err := wiring.OpenDatabase(cmd.Context(), cfg)
				if err != nil {
					return err
				}
				defer db.Close()
				if err := db.Migrate(cmd.Context(), direction); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "migrate %s: done\n", direction)
				return nil
			},
		})
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "status",
		Short: "List migrations and whether each is applied",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			db, err := wiring.OpenDatabase(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer db.Close()
			status, err := db.MigrationStatus(cmd.Context())
			if err != nil {
				return err
			}
			for _, m := range status {
				fmt.Fprintln(cmd.OutOrStdout(), m)
			}
			return nil
		},
	})
	return cmd
}
