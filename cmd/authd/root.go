package main

import (
	"github.com/spf13/cobra"

	"github.com/authd/authd/config"
)

// globalFlags are the flags every command accepts.
type globalFlags struct {
	configFile string
}

func (g *globalFlags) load() (*config.Config, error) {
	cfg, err := config.Load(g.configFile)
	if err == nil {
		applyMemoryLimit(cfg)
	}
	return cfg, err
}

func newRootCommand() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "authd",
		Short:         "JWT authentication API with rotating refresh sessions",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		// authd with no arguments serves.
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), g) },
	}
	root.PersistentFlags().StringVar(&g.configFile, "config", "", "YAML config file (environment AUTHD_* overrides it)")
	root.AddCommand(
		newServeCommand(g),
		newMigrateCommand(g),
		newUserCommand(g),
		newKeysCommand(g),
		newVersionCommand(),
		newHealthcheckCommand(g),
		newCleanupCommand(g),
	)
	return root
}
