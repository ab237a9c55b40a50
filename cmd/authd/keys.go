package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/authd/authd/adapters/refreshtoken"
	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/config"
)

func newKeysCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage signing keys in jwt.keys_dir"}
	cmd.AddCommand(&cobra.Command{
		Use:   "generate",
		Short: "Create the signing key and the refresh-token key if they do not exist yet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			return generateKeys(cfg, false, cmd.OutOrStdout())
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "rotate",
		Short: "Add a new active signing key; older keys keep verifying live tokens",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			return generateKeys(cfg, true, cmd.OutOrStdout())
		},
	})
	return cmd
}

// generateKeys makes sure both keys exist; with rotate it always adds a new
// signing key. Generate is idempotent so that a deployment step can run it
// on every start. The refresh-token key is never rotated here: every live
// refresh token is derived from it.
func generateKeys(cfg *config.Config, rotate bool, out io.Writer) error {
	if _, err := refreshtoken.LoadOrCreateKey(cfg.JWT.KeysDir, true); err != nil {
		return err
	}
	if cfg.JWT.Algorithm == config.AlgHS256 {
		fmt.Fprintln(out, "HS256 signs with jwt.secret; no signing key file is used")
		return nil
	}
	if !rotate {
		if keys, err := token.LoadKeySet(cfg.JWT.KeysDir, cfg.JWT.Algorithm, false); err == nil {
			fmt.Fprintf(out, "signing key %s already exists in %s\n", keys.ActiveKID(), cfg.JWT.KeysDir)
			return nil
		}
	}
	kid, err := token.GenerateKey(cfg.JWT.KeysDir, cfg.JWT.Algorithm)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "new active %s signing key %s in %s\n", cfg.JWT.Algorithm, kid, cfg.JWT.KeysDir)
	return nil
}
