package main

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/authd/authd/cmd/authd/wiring"
)

// shutdownGrace bounds how long in-flight requests may finish on stop.
const shutdownGrace = 15 * time.Second

func newServeCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP server (the default command)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), g) },
	}
}

// runServe starts the application and blocks until SIGINT or SIGTERM, then
// shuts down gracefully.
func runServe(ctx context.Context, g *globalFlags) error {
	cfg, err := g.load()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	app := wiring.New(cfg)
	startCtx, cancel := context.WithTimeout(ctx, app.StartTimeout())
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	<-ctx.Done()
	stopCtx, cancelStop := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancelStop()
	return app.Stop(stopCtx)
}
