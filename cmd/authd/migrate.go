package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/authd/authd/adapters/gormstore"
	"github.com/authd/authd/cmd/authd/wiring"
)

func newMigrateCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply, roll back or show database migrations",
	}
	cmd.AddCommand(
		migrateSubcommand(g, "up", "Apply every pending migration", func(ctx context.Context, cmd *cobra.Command, db *gormstore.DB) error {
			return migrate(ctx, cmd, db, "up")
		}),
		migrateSubcommand(g, "down", "Roll back the latest migration", func(ctx context.Context, cmd *cobra.Command, db *gormstore.DB) error {
			return migrate(ctx, cmd, db, "down")
		}),
		migrateSubcommand(g, "status", "List migrations and whether each is applied", func(ctx context.Context, cmd *cobra.Command, db *gormstore.DB) error {
			status, err := db.MigrationStatus(ctx)
			if err != nil {
				return err
			}
			for _, m := range status {
				fmt.Fprintln(cmd.OutOrStdout(), m)
			}
			return nil
		}),
	)
	return cmd
}

// migrateSubcommand opens the configured database for run and closes it
// afterwards.
func migrateSubcommand(g *globalFlags, use, short string, run func(context.Context, *cobra.Command, *gormstore.DB) error) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
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
			return run(cmd.Context(), cmd, db)
		},
	}
}

func migrate(ctx context.Context, cmd *cobra.Command, db *gormstore.DB, direction string) error {
	if err := db.Migrate(ctx, direction); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "migrate %s: done\n", direction)
	return nil
}
