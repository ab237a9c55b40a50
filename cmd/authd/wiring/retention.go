package wiring

import (
	"context"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/ports/inbound"
)

// pruneInterval is how often expired audit events are deleted.
const pruneInterval = time.Hour

// AuditRetention deletes audit events older than audit.retention, once at
// startup and then every hour, until the server stops.
var AuditRetention = fx.Module("audit-retention",
	fx.Invoke(func(lc fx.Lifecycle, prune inbound.PruneAudit, log *zap.Logger) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				go func() {
					defer close(done)
					ticker := time.NewTicker(pruneInterval)
					defer ticker.Stop()
					for {
						if n, err := prune.Handle(ctx, inbound.PruneAuditCommand{}); err != nil && ctx.Err() == nil {
							log.Warn("audit retention cleanup failed", zap.Error(err))
						} else if n > 0 {
							log.Info("audit retention cleanup", zap.Int64("deleted", n))
						}
						select {
						case <-ctx.Done():
							return
						case <-ticker.C:
						}
					}
				}()
				return nil
			},
			OnStop: func(context.Context) error {
				cancel()
				<-done
				return nil
			},
		})
	}),
)
