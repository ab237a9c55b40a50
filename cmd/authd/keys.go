package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/refreshtoken"
	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/inbound"
)

func newKeysCommand(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "Manage signing keys in jwt.keys_dir"}
	cmd.AddCommand(&cobra.Command{
		Use:   "generate",
		Short: "Create the signing key (signing at once) and the refresh-token key if they do not exist yet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			return generateKeys(cfg, cmd.OutOrStdout())
		},
	})
	var activateIn time.Duration
	rotate := &cobra.Command{
		Use:   "rotate",
		Short: "Add a signing key: published at once, signing after --activate-in; older keys keep verifying",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			if err := generateKeys(cfg, cmd.OutOrStdout()); err != nil {
				return err
			}
			if !cmd.Flags().Changed("activate-in") {
				activateIn = cfg.JWT.JWKSMaxAge + cfg.JWT.KeysReloadInterval
			}
			return rotateKey(cmd.Context(), cfg, activateIn, cmd.OutOrStdout())
		},
	}
	rotate.Flags().DurationVar(&activateIn, "activate-in", 0,
		"how long until the new key signs (default jwt.jwks_max_age + jwt.keys_reload_interval, so every verifier has it first)")
	cmd.AddCommand(rotate)
	cmd.AddCommand(&cobra.Command{
		Use:   "prune",
		Short: "Remove the keys that no longer sign and whose tokens have all expired",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			return pruneKeys(cfg, cmd.OutOrStdout())
		},
	})
	return cmd
}

// generateKeys makes sure both keys exist. It is idempotent so that a deployment step can run it
// on every start. The refresh-token key is never rotated here: every live
// refresh token is derived from it.
func generateKeys(cfg *config.Config, out io.Writer) error {
	if _, err := refreshtoken.LoadOrCreateKey(cfg.JWT.KeysDir, true); err != nil {
		return err
	}
	if cfg.JWT.Algorithm == config.AlgHS256 {
		fmt.Fprintln(out, "HS256 signs with jwt.secret; no signing key file is used")
		return nil
	}
	if keys, err := token.LoadKeySet(cfg.JWT.KeysDir, string(cfg.JWT.Algorithm), false); err == nil {
		fmt.Fprintf(out, "signing key %s already exists in %s\n", keys.ActiveKID(), cfg.JWT.KeysDir)
		return nil
	}
	kid, err := token.GenerateKey(cfg.JWT.KeysDir, string(cfg.JWT.Algorithm))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "new active %s signing key %s in %s\n", cfg.JWT.Algorithm, kid, cfg.JWT.KeysDir)
	return nil
}

// rotateKey adds a new signing key through the use case, so the rotation
// lands in the audit trail.
func rotateKey(ctx context.Context, cfg *config.Config, activateIn time.Duration, out io.Writer) error {
	if cfg.JWT.Algorithm == config.AlgHS256 {
		return errors.New("HS256 signs with jwt.secret: rotate it by changing the secret")
	}
	var uc inbound.RotateSigningKey
	app := fx.New(wiring.Core(cfg), fx.Populate(&uc), fx.NopLogger)
	if err := app.Start(ctx); err != nil {
		return err
	}
	defer app.Stop(ctx)
	kid, err := uc.Handle(ctx, inbound.RotateSigningKeyCommand{
		Client:     inbound.Client{UserAgent: "authd keys rotate"},
		ActivateIn: activateIn,
	})
	if kid != "" {
		fmt.Fprintf(out, "new %s signing key %s in %s: published now, signing from %s\n",
			cfg.JWT.Algorithm, kid, cfg.JWT.KeysDir, time.Now().Add(activateIn).UTC().Format(time.RFC3339))
	}
	return err
}

// pruneKeys removes the key files no live token can need: replaced by a
// newer key longer ago than the access-token lifetime plus the leeway.
func pruneKeys(cfg *config.Config, out io.Writer) error {
	if cfg.JWT.Algorithm == config.AlgHS256 {
		fmt.Fprintln(out, "HS256 signs with jwt.secret; there are no key files to prune")
		return nil
	}
	pruned, err := token.Prune(cfg.JWT.KeysDir, string(cfg.JWT.Algorithm), time.Now(), wiring.KeyRetention(cfg))
	for _, kid := range pruned {
		fmt.Fprintf(out, "removed signing key %s\n", kid)
	}
	if err == nil && len(pruned) == 0 {
		fmt.Fprintln(out, "no signing key to prune")
	}
	return err
}
