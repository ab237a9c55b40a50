package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/cmd/authd/wiring"
)

// stopMargin is the time the background workers and the database get to
// stop once the HTTP server has drained.
const stopMargin = 10 * time.Second

func newServeCommand(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "serve",
		Short: "Run the HTTP server (the default command)",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), g) },
	}
}

// runServe starts the application and blocks until SIGINT or SIGTERM. Then
// it drains: /readyz answers 503 at once while requests are still served
// for http.shutdown_delay (a second signal cuts that short), then the
// listener closes, requests in flight get http.shutdown_timeout to finish,
// the background workers stop and the process exits 0.
func runServe(ctx context.Context, g *globalFlags) error {
	cfg, err := g.load()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(signals)

	var (
		drain *wiring.Drain
		log   *zap.Logger
	)
	app := wiring.New(cfg, fx.Populate(&drain, &log))
	startCtx, cancel := context.WithTimeout(ctx, app.StartTimeout())
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	select {
	case sig := <-signals:
		log.Info("shutting down: not ready, still serving",
			zap.String("signal", sig.String()), zap.Duration("delay", cfg.HTTP.ShutdownDelay))
	case <-ctx.Done():
	}
	drain.Begin()
	delay := time.NewTimer(cfg.HTTP.ShutdownDelay)
	select {
	case <-delay.C:
	case sig := <-signals:
		log.Info("second signal: stopping now", zap.String("signal", sig.String()))
		delay.Stop()
	}
	stopCtx, cancelStop := context.WithTimeout(context.Background(), cfg.HTTP.ShutdownTimeout+stopMargin)
	defer cancelStop()
	if err := app.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	log.Info("stopped")
	return nil
}
