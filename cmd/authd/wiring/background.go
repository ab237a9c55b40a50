package wiring

import (
	"context"
	"fmt"

	"go.uber.org/fx"
)

// runWhileStarted runs loop in a goroutine of its own from the
// application's start until its stop, as every background worker runs
// (cleanup, key reload, mail sender, audit drainer). Stopping cancels
// loop's context and waits for loop to return, at most until the stop's
// deadline, so that one stuck worker cannot hold the process past its
// shutdown timeout.
func runWhileStarted(lc fx.Lifecycle, name string, loop func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				loop(ctx)
			}()
			return nil
		},
		OnStop: func(stop context.Context) error {
			cancel()
			select {
			case <-done:
				return nil
			case <-stop.Done():
				return fmt.Errorf("%s: %w", name, stop.Err())
			}
		},
	})
}
