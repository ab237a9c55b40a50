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
		// Stopping cancels a sweep in progress: each batch is one
		// statement, so what was deleted stays deleted.
		runWhileStarted(lc, "cleanup", func(ctx context.Context) {
			runCleanup(ctx, cleanup, cfg.Cleanup.Interval, log)
		})
	}),
)

func runCleanup(ctx context.Context, cleanup inbound.Cleanup, every time.Duration, log *zap.Logger) {
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
