package wiring

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/authd/authd/adapters/token"
	"github.com/authd/authd/config"
)

// KeyReload reads jwt.keys_dir again every jwt.keys_reload_interval and on
// SIGHUP, so that a key added by `authd keys rotate` is published, and one
// removed by `authd keys prune` dropped, without a restart. A reload that
// fails keeps the keys in force and is logged. Under HS256 there is nothing
// to reload.
var KeyReload = fx.Module("key-reload",
	fx.Invoke(func(lc fx.Lifecycle, cfg *config.Config, ring *token.KeyRing, log *zap.Logger) {
		if ring == nil {
			return
		}
		hangup := make(chan os.Signal, 1)
		lc.Append(fx.Hook{
			OnStart: func(context.Context) error {
				signal.Notify(hangup, syscall.SIGHUP)
				return nil
			},
			OnStop: func(context.Context) error {
				signal.Stop(hangup)
				return nil
			},
		})
		runWhileStarted(lc, "key reload", func(ctx context.Context) {
			reloadKeys(ctx, ring, cfg.JWT.KeysReloadInterval, hangup, log)
		})
	}),
)

func reloadKeys(ctx context.Context, ring *token.KeyRing, every time.Duration, hangup <-chan os.Signal, log *zap.Logger) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		case <-hangup:
			log.Info("SIGHUP: reloading signing keys")
		}
		changed, err := ring.Reload()
		switch {
		case err != nil:
			log.Error("signing keys not reloaded; the keys in force stay", zap.Error(err))
		case changed:
			log.Info("signing keys reloaded", zap.Strings("kids", ring.KeySet().KIDs()))
		}
	}
}
