package wiring

import (
	"context"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/config"
	"github.com/authd/authd/ports/inbound"
	"github.com/authd/authd/ports/outbound"
)

// BackgroundCleanup runs every sweeper of the group "sweepers" (expired
// sessions, old audit events, and what later features add) once at
// startup and then every cleanup.interval, in batches of
// cleanup.batch_size, until the server stops. `authd cleanup` runs the same
// use case once.
var BackgroundCleanup = fx.Module("cleanup",
	fx.Invoke(func(lc fx.Lifecycle, cfg *config.Config, cleanup inbound.Cleanup, log *zap.Logger) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				go runCleanup(ctx, done, cleanup, cfg.Cleanup.Interval, log)
				return nil
			},
			// Stopping cancels a sweep in progress: each batch is one
			// statement, so what was deleted stays deleted.
			OnStop: func(context.Context) error {
				cancel()
				<-done
				return nil
			},
		})
	}),
)

func runCleanup(ctx context.Context, done chan<- struct{}, cleanup inbound.Cleanup, every time.Duration, log *zap.Logger) {
	defer close(done)
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		report, err := cleanup.Handle(ctx, inbound.CleanupCommand{})
		if err != nil && ctx.Err() == nil {
			log.Warn("cleanup failed", zap.Error(err))
		}
		for name, n := range report {
			if n > 0 {
				log.Info("cleanup", zap.String("sweeper", name), zap.Int("deleted", n))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// sweeper puts a constructor's result into the group "sweepers" the
// cleanup runs.
func sweeper(ctor any) any {
	return fx.Annotate(ctor, fx.As(new(outbound.Sweeper)), fx.ResultTags(`group:"sweepers"`))
}
